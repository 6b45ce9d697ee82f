-- One row per partner measure and period (measure_code + period_start + period_end), its
-- latest version.
select
    cast(measures.partner_measure_id as {{ dbt.type_string() }}) as partner_measure_id,
    cast(measures.measure_code as {{ dbt.type_string() }}) as measure_code,
    cast(measures.period_start as date) as period_start,
    cast(measures.period_end as date) as period_end,
    cast(measures.value as decimal(18, 4)) as value,
    cast(measures.numerator as decimal(18, 4)) as numerator,
    cast(measures.denominator as decimal(18, 4)) as denominator,
    cast(measures.unit as {{ dbt.type_string() }}) as unit,
    cast(measures.source_agency as {{ dbt.type_string() }}) as source_agency,
    cast(measures.source_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(measures.landed_at as timestamp) as landed_at
from {{ ref('stg_partners__measures') }} as measures
