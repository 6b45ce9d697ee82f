-- Offending of each IOM nominal (a person on the scheme from one adoption date) in three
-- windows, with the cost of those offences. One row per nominal.
-- Pre: the six calendar months before the adoption date, adoption day excluded.
-- During: from the adoption date to the deselection date (to date while still on the scheme).
-- Post: the six calendar months after the deselection date, deselection day excluded; only for
-- nominals whose post window ends on or before the latest recorded_date in the crime data
-- (has_full_post_window), otherwise the post figures are null.
-- An offence is the latest version of a police_crimes record with status 'recorded' whose
-- suspect is the nominal's person, dated by offence_date, or recorded_date when that is blank;
-- its cost is the offence_unit_costs seed's unit cost for its offence subgroup (0 when the
-- subgroup has no published unit cost).
with nominals as (
    select
        nominal_id,
        person_key,
        adoption_date,
        deselection_date,
        cohort,
        area
    from {{ ref('fct_iom_nominals') }}
),

latest as (
    select max(recorded_date) as latest_recorded_date
    from {{ ref('fct_crimes') }}
),

offences as (
    select
        c.suspect_person_key as person_key,
        cast(coalesce(c.offence_date, c.recorded_date) as date) as offence_day,
        cast(coalesce(u.unit_cost_gbp, 0) as decimal(18, 2)) as unit_cost
    from {{ ref('fct_crimes') }} as c
    left join {{ ref('offence_unit_costs') }} as u
        on c.offence_group = u.offence_group
            and c.offence_subgroup = u.offence_subgroup
    where c.is_recorded = true
        and c.suspect_person_key is not null
),

windows as (
    select
        n.*,
        {{ cjb.add_months('n.adoption_date', -6) }} as pre_start,
        {{ cjb.add_days('n.adoption_date', -1) }} as pre_end,
        {{ cjb.add_days('n.deselection_date', 1) }} as post_start,
        {{ cjb.add_months('n.deselection_date', 6) }} as post_end,
        coalesce(
            n.deselection_date is not null
            and {{ cjb.add_months('n.deselection_date', 6) }} <= l.latest_recorded_date,
            false
        ) as has_full_post_window
    from nominals as n
    cross join latest as l
),

per_nominal as (
    select
        w.nominal_id,
        w.person_key,
        w.adoption_date,
        w.deselection_date,
        w.cohort,
        w.area,
        w.has_full_post_window,
        {{ cjb.marts_count_if('o.offence_day between w.pre_start and w.pre_end') }} as offences_pre,
        {{ cjb.marts_count_if(
            'o.offence_day >= w.adoption_date'
            ~ ' and (w.deselection_date is null or o.offence_day <= w.deselection_date)'
        ) }} as offences_during,
        {{ cjb.marts_count_if('w.has_full_post_window and o.offence_day between w.post_start and w.post_end') }}
            as offences_post,
        coalesce(sum(case when o.offence_day between w.pre_start and w.pre_end then o.unit_cost end), 0) as cost_pre,
        coalesce(
            sum(
                case
                    when w.has_full_post_window and o.offence_day between w.post_start and w.post_end then o.unit_cost
                end
            ),
            0
        ) as cost_post
    from windows as w
    left join offences as o on w.person_key = o.person_key
    group by
        w.nominal_id, w.person_key, w.adoption_date, w.deselection_date, w.cohort, w.area,
        w.has_full_post_window
)

select
    cast(nominal_id as {{ dbt.type_string() }}) as nominal_id,
    cast(person_key as {{ dbt.type_string() }}) as person_key,
    cast(adoption_date as date) as adoption_date,
    cast(deselection_date as date) as deselection_date,
    cast(cohort as {{ dbt.type_string() }}) as cohort,
    cast(area as {{ dbt.type_string() }}) as area,
    cast(has_full_post_window as boolean) as has_full_post_window,
    cast(offences_pre as bigint) as offences_pre,
    cast(offences_during as bigint) as offences_during,
    cast(case when has_full_post_window then offences_post end as bigint) as offences_post,
    cast(cost_pre as decimal(18, 2)) as cost_pre,
    cast(case when has_full_post_window then cost_post end as decimal(18, 2)) as cost_post
from per_nominal
