-- HMCTS trial listings: the latest version of each listing_id, renamed and recoded. A blank
-- defendant_count means one defendant (the contract).
with latest as (
    select *
    from {{ cjb.latest_version(source('hmcts', 'court_trials'), ['listing_id']) }} as standing_versions
)

select
    cast(listing_id as {{ dbt.type_string() }}) as listing_id,
    cast(case_urn as {{ dbt.type_string() }}) as case_urn,
    cast(trim(court_code) as {{ dbt.type_string() }}) as court_code,
    cast({{ cjb.clean_enum('jurisdiction') }} as {{ dbt.type_string() }}) as jurisdiction,
    cast(listing_date as date) as listing_date,
    cast({{ cjb.clean_enum('trial_outcome') }} as {{ dbt.type_string() }}) as trial_outcome,
    cast({{ cjb.clean_code('reason_code') }} as {{ dbt.type_string() }}) as reason_code,
    cast(nullif(trim(offence_group), '') as {{ dbt.type_string() }}) as offence_group,
    cast(coalesce(defendant_count, 1) as integer) as defendant_count,
    cast(defendant_person_id as {{ dbt.type_string() }}) as defendant_person_key,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
