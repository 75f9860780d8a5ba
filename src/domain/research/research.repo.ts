import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Measure } from './research.render.js';

/** The groupings a research export counts by. */
export const RESEARCH_BY = ['org', 'status', 'month', 'document'] as const;
export type ResearchBy = (typeof RESEARCH_BY)[number];

/** One group's counts, as the database gives them. */
export type Counts = { group: string } & Record<Measure, number>;

/** Counts per group, from the database (erased people are gone). */
export async function researchCounts(db: Db, by: ResearchBy): Promise<Counts[]> {
  const acts = sql`(select count(*) from activity a where a.person_id = p.id)`;
  const q =
    by === 'document'
      ? sql`select d.slug as "group", count(distinct a.person_id) as people, count(distinct case when p.status = 'member' then a.person_id end) as members, count(*) as activities
            from activity a join document d on d.id = a.document_id join person p on p.id = a.person_id group by d.slug order by d.slug`
      : by === 'month'
        ? sql`select m as "group", sum(people) as people, sum(members) as members, sum(activities) as activities from (
                select substr(p.created_at, 1, 7) as m, count(*) as people, sum(case when p.status = 'member' then 1 else 0 end) as members, 0 as activities from person p where p.erased_at is null group by m
                union all select substr(a.at, 1, 7) as m, 0, 0, count(*) from activity a group by m) as per_month group by m order by m`
        : sql`select ${by === 'org' ? sql`coalesce(o.name, '(no organisation)')` : sql`p.status`} as "group", count(*) as people, sum(case when p.status = 'member' then 1 else 0 end) as members, sum(${acts}) as activities
              from person p left join organisation o on o.id = p.organisation_id where p.erased_at is null group by 1 order by 1`;
  const { rows } = await q.execute(db.kysely);
  return (rows as Array<Record<string, unknown>>).map((r) => ({ group: String(r.group), people: Number(r.people), members: Number(r.members), activities: Number(r.activities) }));
}

