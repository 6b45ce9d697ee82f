-- Wiltshire Police recorded crimes: the latest version of each crime_ref (latest file period,
-- then latest landing), renamed and recoded. Offence and outcome codes are canonical (no
-- leading zeros, upper case); '0' / blank outcome reads as no outcome yet.
with latest as (
    select *
    from {{ cjb.latest_version(source('police', 'police_crimes'), ['crime_ref']) }} as standing_versions
)

select
    cast(crime_ref as {{ dbt.type_string() }}) as crime_ref,
    cast(recorded_date as date) as recorded_date,
    cast(offence_date as date) as offence_date,
    cast({{ cjb.canonical_offence_code('ho_offence_code') }} as {{ dbt.type_string() }}) as offence_code,
    cast(ho_offence_code as {{ dbt.type_string() }}) as offence_code_as_sent,
    cast(offence_description as {{ dbt.type_string() }}) as offence_description,
    cast({{ cjb.clean_code('lsoa_code') }} as {{ dbt.type_string() }}) as lsoa_code,
    cast(nullif(trim(local_authority), '') as {{ dbt.type_string() }}) as local_authority,
    cast(is_domestic_abuse as boolean) as is_domestic_abuse,
    cast(is_hate_crime as boolean) as is_hate_crime,
    cast(is_cyber as boolean) as is_cyber,
    cast(is_cse as boolean) as is_cse,
    cast(is_knife as boolean) as is_knife,
    cast({{ cjb.canonical_outcome_type('outcome_type') }} as {{ dbt.type_string() }}) as outcome_type,
    cast(outcome_date as date) as outcome_date,
    cast({{ cjb.clean_enum('status') }} as {{ dbt.type_string() }}) as status,
    cast(suspect_person_id as {{ dbt.type_string() }}) as suspect_person_key,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
