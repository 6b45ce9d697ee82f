-- One row per assessment_id with the twelve need flags (boolean, null = unknown) and the
-- period of its assessment_date.
select
    cast(assessments.assessment_id as {{ dbt.type_string() }}) as assessment_id,
    cast(assessments.person_key as {{ dbt.type_string() }}) as person_key,
    cast(assessments.assessment_date as date) as assessment_date,
    {{ cjb.calendar_columns('assessments.assessment_date') }},
    cast(assessments.age as integer) as age,
    cast(assessments.referral_route as {{ dbt.type_string() }}) as referral_route,
    cast(assessments.index_offence_category as {{ dbt.type_string() }}) as index_offence_category,
    {% for need in cjb.fjsb_need_flags() -%}
        cast(assessments.{{ cjb.fjsb_need_column(need) }} as boolean) as {{ cjb.fjsb_need_column(need) }},
    {% endfor -%}
    cast(assessments.source_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(assessments.landed_at as timestamp) as landed_at
from {{ ref('stg_fjsb__needs_assessments') }} as assessments
