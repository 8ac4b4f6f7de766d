import { readFloat32 } from "../../models/shared/state";
import { itemName } from "./shared";
import type { Explainer, ExplainerInput } from "./types";

/** Popularity scores an item by its training interactions: the explanation is that count and its rank. */
export function popularityExplainer({ model, data }: ExplainerInput): Explainer {
  const counts = readFloat32(model.save(), "counts", data.numItems);
  return {
    explain(user, item) {
      const score = counts[item];
      let rank = 1;
      for (const c of counts) if (c > score) rank++;
      const text = `${itemName(data, item)}: ${score} users interacted with it, the #${rank} most popular of ${data.numItems} items.`;
      return { user, item, kind: "popularity", score, features: [{ name: "users who interacted", weight: score }], text, exact: true };
    },
    // The count does not depend on the user's own history.
    scoreWithout: (_user, item) => counts[item],
  };
}
