-- One row per assessment and need: the answer 'yes', 'no' or 'unknown' (int_needs__answers),
-- for prevalence = yes / (yes + no) with unknown reported separately.
select
    cast({{ cjb.surrogate_key(['answers.assessment_id', 'answers.need']) }} as {{ dbt.type_string() }}) as answer_id,
    cast(answers.assessment_id as {{ dbt.type_string() }}) as assessment_id,
    cast(answers.person_key as {{ dbt.type_string() }}) as person_key,
    cast(answers.assessment_date as date) as assessment_date,
    {{ cjb.calendar_columns('answers.assessment_date') }},
    cast(answers.need as {{ dbt.type_string() }}) as need,
    cast(answers.need_name as {{ dbt.type_string() }}) as need_name,
    cast(answers.answer as {{ dbt.type_string() }}) as answer
from {{ ref('int_needs__answers') }} as answers
