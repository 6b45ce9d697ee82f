-- Trial effectiveness measures of the scorecard: one row per measure per financial quarter the
-- court_trials extract fully covers; a trial belongs to the quarter of its listing_date.
-- Trials listed = effective + cracked + ineffective; vacated trials are left out of every
-- denominator. Cracked or ineffective due to the prosecution counts both outcomes whose reason
-- is attributed to the prosecution (trial_reasons.csv).
with quarters as (
    select * from {{ ref('int_marts__source_quarter_coverage') }}
    where source = 'court_trials'
),

trials as (
    select
        {{ cjb.fy_quarter_index('listing_date') }} as fy_quarter_index,
        trial_outcome,
        attributed_to
    from {{ ref('fct_trial_listings') }}
),

per_quarter as (
    select
        q.fy_quarter_index,
        q.period_label,
        q.quarter_start,
        q.quarter_end,
        {{ cjb.marts_count_if("t.trial_outcome in ('effective', 'cracked', 'ineffective')") }} as listed,
        {{ cjb.marts_count_if("t.trial_outcome = 'effective'") }} as effective,
        {{ cjb.marts_count_if("t.trial_outcome = 'cracked'") }} as cracked,
        {{ cjb.marts_count_if("t.trial_outcome = 'ineffective'") }} as ineffective,
        {{ cjb.marts_count_if("t.trial_outcome in ('cracked', 'ineffective') and t.attributed_to = 'prosecution'") }}
            as prosecution
    from quarters as q
    left join trials as t on q.fy_quarter_index = t.fy_quarter_index
    group by q.fy_quarter_index, q.period_label, q.quarter_start, q.quarter_end
)

select
    {{ cjb.marts_count_row('trials_listed', 'q', 'q.listed', 'court_trials') }}
from per_quarter as q
union all
select
    {{ cjb.marts_rate_row('effective_trial_rate', 'q', 'q.effective', 'q.listed', 'court_trials') }}
from per_quarter as q
union all
select
    {{ cjb.marts_rate_row('cracked_trial_rate', 'q', 'q.cracked', 'q.listed', 'court_trials') }}
from per_quarter as q
union all
select
    {{ cjb.marts_rate_row('ineffective_trial_rate', 'q', 'q.ineffective', 'q.listed', 'court_trials') }}
from per_quarter as q
union all
select
    {{ cjb.marts_rate_row('pct_cracked_ineffective_prosecution', 'q', 'q.prosecution', 'q.listed', 'court_trials') }}
from per_quarter as q
