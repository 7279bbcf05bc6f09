// The two ways compiling a rule fails. They are kept apart because they call for different people:
// RuleInvalid means the rule is broken (its author fixes it), RuleUnsupported means it is valid Sigma
// that Vigil cannot run (a feature or a log source we lack), which an operator wants counted by reason.

export class RuleUnsupported extends Error {
  constructor(
    readonly reason: string,
    /** The detection key the problem is under, when there is one. */
    readonly key?: string,
  ) {
    super(`unsupported: ${reason}`);
    this.name = 'RuleUnsupported';
  }
}

export class RuleInvalid extends Error {
  constructor(
    readonly reason: string,
    readonly key?: string,
  ) {
    super(reason);
    this.name = 'RuleInvalid';
  }
}
