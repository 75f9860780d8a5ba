/** A salted hash of an erased address: a later add or import of it is flagged. */
export interface ErasedEmailTable {
  hash: string;
  person_id: number;
  erased_at: string;
}

/** A version of the privacy statement; consent events record the version in force. */
export interface PolicyVersionTable {
  version: string;
  sha256: string;
  set_at: string;
  actor: string;
  text: string;
}
