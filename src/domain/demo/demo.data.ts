/** Deterministic generated demo data: invented names at reserved example domains, no real person. */

const GIVEN = ['Amara', 'Bjørn', 'Chen', 'Dolores', 'Emeka', 'Fatima', 'Giulia', 'Hiroshi', 'Ingrid', 'José', 'Kavya', 'Lars', 'Mei', 'Nikolai', 'Olusegun', 'Priya', 'Quentin', 'Rania', 'Søren', 'Tomás', 'Uma', 'Valentina', 'Wei', 'Xochitl', 'Yusuf', 'Zofia', 'Ana', 'Łukasz', 'Zoë', 'Ngozi'];
const FAMILY = ['Okafor', 'Lindqvist', 'Wang', 'García', 'Nakamura', 'Haddad', 'Rossi', 'Müller', 'Kowalski', 'Patel', 'Dubois', 'Ivanova', "O'Brien", 'Nguyen', 'Santos', 'Kim', 'Andersen', 'Mensah', 'Costa', 'Fischer', 'Yılmaz', 'Ahmed', 'Novák', 'Silva', 'Tanaka'];
const ORGS: Array<[string, string, boolean]> = [
  ['Northwind University', 'northwind.example.edu', true],
  ['Contoso Learning', 'contoso.example.com', true],
  ['Fabrikam Schools Trust', 'fabrikam.example.org', true],
  ['Tailspin Polytechnic', 'tailspin.example.edu', true],
  ['Adatum Publishing', 'adatum.example.com', true],
  ['Litware Open Courseware', 'litware.example.org', false],
  ['Proseware Academy', 'proseware.example.net', false],
  ['Wide World Institute', 'wideworld.example.edu', true],
];

/** A small seeded PRNG (mulberry32), so every demo database is the same. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoPerson {
  name: string;
  email: string;
  organization?: string;
  status: 'member' | 'contact';
  newsletter?: boolean;
}

const FOLD: Record<string, string> = { ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', æ: 'ae', ß: 'ss', ı: 'i' };
const ascii = (s: string) => s.replace(/[øØłŁæßı]/g, (c) => FOLD[c]!).normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase();

/** Organisations: name, domain, member? */
export function demoOrganisations() {
  return ORGS.map(([name, domain, member]) => ({ name, domain, member }));
}

/** `count` people spread over the organisations; members at member organisations, contacts anywhere. */
export function demoPeople(count: number, seed = 2002): DemoPerson[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const people: DemoPerson[] = [];
  for (let i = 0; i < count; i++) {
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const [org, domain, orgMember] = rnd() < 0.85 ? pick(ORGS) : [undefined, 'mail.example.net', false];
    const status = orgMember && rnd() < 0.7 ? 'member' : 'contact';
    people.push({
      name: `${given} ${family}`,
      email: `${ascii(given)}.${ascii(family)}${i}@${domain}`,
      organization: org,
      status,
      newsletter: status === 'contact' ? rnd() < 0.4 : undefined,
    });
  }
  return people;
}
