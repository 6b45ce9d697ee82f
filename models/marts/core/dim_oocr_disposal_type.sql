-- The oocr extract's disposal types (seed oocr_disposal_types) with their regime and Home
-- Office outcome type.
select
    cast(types.disposal_type as {{ dbt.type_string() }}) as disposal_type,
    cast(types.disposal_type_name as {{ dbt.type_string() }}) as disposal_type_name,
    cast(types.oocr_type as {{ dbt.type_string() }}) as oocr_type,
    cast(types.regime as {{ dbt.type_string() }}) as regime,
    cast({{ cjb.canonical_outcome_type('types.hoc_outcome_type') }} as {{ dbt.type_string() }}) as outcome_type,
    cast(types.age_group as {{ dbt.type_string() }}) as age_group,
    cast(types.is_statutory as boolean) as is_statutory,
    cast(types.sort_order as integer) as sort_order
from {{ ref('oocr_disposal_types') }} as types
