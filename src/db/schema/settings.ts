/** A setting changed with `consort config set`; absent keys take their defaults. */
export interface SettingsTable {
  key: string;
  value: string;
}
