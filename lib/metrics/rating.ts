/**
 * Rating-prediction error metrics over paired (predicted, actual) arrays. Empty input gives NaN
 * (there is no error to average).
 */

function checkLengths(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) {
    throw new Error(`rating metrics: ${predicted.length} predictions for ${actual.length} ratings`);
  }
}

/**
 * MAE = (1/n) Σ |predicted_j − actual_j|.
 * Reference: Herlocker et al., "Evaluating collaborative filtering recommender systems",
 * ACM TOIS 22(1), 2004, §3.2.
 */
export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  let sum = 0;
  for (let j = 0; j < actual.length; j++) sum += Math.abs(predicted[j] - actual[j]);
  return sum / actual.length;
}

/**
 * MSE = (1/n) Σ (predicted_j − actual_j)².
 * Reference: Herlocker et al., ACM TOIS 22(1), 2004, §3.2.
 */
export function mse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  let sum = 0;
  for (let j = 0; j < actual.length; j++) {
    const d = predicted[j] - actual[j];
    sum += d * d;
  }
  return sum / actual.length;
}

/**
 * RMSE = √MSE.
 * Reference: Herlocker et al., ACM TOIS 22(1), 2004, §3.2; Koren, Bell & Volinsky, "Matrix
 * factorization techniques for recommender systems", IEEE Computer 42(8), 2009.
 */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  return Math.sqrt(mse(predicted, actual));
}
