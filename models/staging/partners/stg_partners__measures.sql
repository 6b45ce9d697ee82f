-- Aggregate figures partners report: the latest version of each measure and period
-- (measure_code + period_start + period_end).
with latest as (
    select *
    from
        {{ cjb.latest_version(
            source('partners', 'partner_measures'),
            ['measure_code', 'period_start', 'period_end'],
        ) }} as standing_versions
)

select
    cast(
        {{ cjb.surrogate_key(['measure_code', 'period_start', 'period_end']) }} as {{ dbt.type_string() }}
    ) as partner_measure_id,
    cast({{ cjb.clean_enum('measure_code') }} as {{ dbt.type_string() }}) as measure_code,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(value as decimal(18, 4)) as value,
    cast(numerator as decimal(18, 4)) as numerator,
    cast(denominator as decimal(18, 4)) as denominator,
    cast({{ cjb.clean_enum('unit') }} as {{ dbt.type_string() }}) as unit,
    cast(nullif(trim(source_agency), '') as {{ dbt.type_string() }}) as source_agency,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
