-- Female Justice Support Board needs assessments. Needs files are never resent, but the
-- contract's resend rule applies all the same (latest file period, then latest landing).
-- Need flags are booleans, null = unknown (never no).
with latest as (
    select *
    from {{ cjb.latest_version(source('fjsb', 'fjsb_needs'), ['assessment_id']) }} as standing_versions
)

select
    cast(assessment_id as {{ dbt.type_string() }}) as assessment_id,
    cast(person_id as {{ dbt.type_string() }}) as person_key,
    cast(assessment_date as date) as assessment_date,
    cast(age as integer) as age,
    cast({{ cjb.clean_enum('referral_route') }} as {{ dbt.type_string() }}) as referral_route,
    cast({{ cjb.clean_enum('index_offence_category') }} as {{ dbt.type_string() }}) as index_offence_category,
    {% for need in cjb.fjsb_need_flags() -%}
        cast({{ need }} as boolean) as {{ cjb.fjsb_need_column(need) }},
    {% endfor -%}
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
