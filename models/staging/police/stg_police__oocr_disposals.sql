-- Police out-of-court resolutions: the latest version of each disposal_id, renamed and
-- recoded (sex M / F / U, never null; enums lower case; offence code canonical).
with latest as (
    select *
    from {{ cjb.latest_version(source('police', 'oocr'), ['disposal_id']) }} as standing_versions
)

select
    cast(disposal_id as {{ dbt.type_string() }}) as disposal_id,
    cast(person_id as {{ dbt.type_string() }}) as person_key,
    cast({{ cjb.recode_sex('sex') }} as {{ dbt.type_string() }}) as sex,
    cast(age_at_disposal as integer) as age_at_disposal,
    cast(disposal_date as date) as disposal_date,
    cast({{ cjb.clean_enum('disposal_type') }} as {{ dbt.type_string() }}) as disposal_type,
    cast({{ cjb.canonical_offence_code('ho_offence_code') }} as {{ dbt.type_string() }}) as offence_code,
    cast(previous_convictions as boolean) as has_previous_convictions,
    cast(previous_cautions as boolean) as has_previous_cautions,
    cast(intervention_referred as boolean) as is_intervention_referred,
    cast(nullif(trim(intervention_provider), '') as {{ dbt.type_string() }}) as intervention_provider,
    cast({{ cjb.clean_enum('intervention_outcome') }} as {{ dbt.type_string() }}) as intervention_outcome,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
