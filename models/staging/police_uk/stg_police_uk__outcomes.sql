-- Public data.police.uk outcomes files, any force: every row of the latest delivery of each
-- force's file for a month (the file's period; the rows' own Month is the outcome month, and
-- the same crime appears in several months' files).
with latest as (
    select *
    from {{ cjb.latest_file(source('police_uk', 'police_uk_outcomes'), ['_force', '_file_period']) }} as deliveries
    where _file_rank = 1
)

select
    cast(
        {{ cjb.surrogate_key(['_force', '_file_period', '_row_number']) }} as {{ dbt.type_string() }}
    ) as outcome_row_id,
    cast(_force as {{ dbt.type_string() }}) as force,
    cast(_period_start as date) as file_month_start,
    cast(month as date) as month_start,
    cast(nullif(trim(crime_id), '') as {{ dbt.type_string() }}) as crime_id,
    cast(nullif(trim(reported_by), '') as {{ dbt.type_string() }}) as reported_by,
    cast(nullif(trim(falls_within), '') as {{ dbt.type_string() }}) as falls_within,
    cast(longitude as double) as longitude,
    cast(latitude as double) as latitude,
    cast(nullif(trim(location), '') as {{ dbt.type_string() }}) as location,
    cast({{ cjb.clean_code('lsoa_code') }} as {{ dbt.type_string() }}) as lsoa_code,
    cast(nullif(trim(lsoa_name), '') as {{ dbt.type_string() }}) as lsoa_name,
    cast(nullif(trim(outcome_type), '') as {{ dbt.type_string() }}) as outcome_type,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
