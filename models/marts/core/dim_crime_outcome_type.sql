-- Home Office crime outcome types with the Board's positive set (seed positive_outcome_types).
select
    cast({{ cjb.canonical_outcome_type('outcomes.outcome_type') }} as {{ dbt.type_string() }}) as outcome_type,
    cast(outcomes.description as {{ dbt.type_string() }}) as outcome_description,
    cast(outcomes.home_office_outcome_group as {{ dbt.type_string() }}) as outcome_group,
    cast(outcomes.is_oocr = 'Y' as boolean) as is_oocr,
    cast(positive.outcome_type is not null as boolean) as is_positive,
    cast(coalesce(positive.is_charge_summons, false) as boolean) as is_charge_summons
from {{ ref('hoc_outcome_types') }} as outcomes
left join {{ ref('positive_outcome_types') }} as positive
    on
        {{ cjb.canonical_outcome_type('positive.outcome_type') }}
        = {{ cjb.canonical_outcome_type('outcomes.outcome_type') }}
where outcomes.outcome_type <> '0'
