/**
 * What a bound histogram or summary series shares: once its series expired
 * (`ttlSeconds`), updates go to the live series of the same labels, found (or re-created)
 * by the function the metric hands to `expire`.
 */
export abstract class ExpiringChild<Self extends ExpiringChild<Self>> {
  /** Set when the series expired; the hot path checks only this field. */
  protected revive: (() => Self) | undefined = undefined;
  private forward: Self | undefined = undefined;

  /** Called by the metric when this series expired. */
  expire(revive: () => Self): void {
    this.revive = revive;
  }

  /** The live series updates go to, re-found when the one used last expired too. */
  protected live(revive: () => Self): Self {
    let forward = this.forward;
    if (forward === undefined || forward.revive !== undefined) {
      forward = revive();
      this.forward = forward;
    }
    return forward;
  }
}
