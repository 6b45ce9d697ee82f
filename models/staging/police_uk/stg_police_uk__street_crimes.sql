-- Public data.police.uk street files, any force: every row of the latest file for each force
-- and month (a re-delivered month replaces the earlier delivery as a whole; rows are not
-- matched by Crime ID, which anti-social behaviour rows lack).
with latest as (
    select *
    from {{ cjb.latest_file(source('police_uk', 'police_uk_street'), ['_force', 'month']) }} as deliveries
    where _file_rank = 1
)

select
    cast({{ cjb.surrogate_key(['_force', 'month', '_row_number']) }} as {{ dbt.type_string() }}) as street_row_id,
    cast(_force as {{ dbt.type_string() }}) as force,
    cast(month as date) as month_start,
    cast(nullif(trim(crime_id), '') as {{ dbt.type_string() }}) as crime_id,
    cast(nullif(trim(reported_by), '') as {{ dbt.type_string() }}) as reported_by,
    cast(nullif(trim(falls_within), '') as {{ dbt.type_string() }}) as falls_within,
    cast(longitude as double) as longitude,
    cast(latitude as double) as latitude,
    cast(nullif(trim(location), '') as {{ dbt.type_string() }}) as location,
    cast({{ cjb.clean_code('lsoa_code') }} as {{ dbt.type_string() }}) as lsoa_code,
    cast(nullif(trim(lsoa_name), '') as {{ dbt.type_string() }}) as lsoa_name,
    cast(nullif(trim(crime_type), '') as {{ dbt.type_string() }}) as crime_type,
    cast(nullif(trim(last_outcome_category), '') as {{ dbt.type_string() }}) as last_outcome_category,
    cast(nullif(trim(context), '') as {{ dbt.type_string() }}) as context,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
