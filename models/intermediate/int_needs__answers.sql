-- Needs assessments unpivoted: one row per assessment and need flag, the flag read as
-- 'yes' / 'no' / 'unknown' (unknown is its own answer, never folded into no). One pass over
-- the assessments, crossed with the need list (seed fjsb_needs).
select
    assessments.assessment_id,
    assessments.person_key,
    assessments.assessment_date,
    needs.need,
    needs.need_name,
    case needs.need
        {% for need in cjb.fjsb_need_flags() -%}
            when '{{ need }}' then {{ cjb.yes_no_unknown('assessments.' ~ cjb.fjsb_need_column(need)) }}
        {% endfor -%}
    end as answer
from {{ ref('stg_fjsb__needs_assessments') }} as assessments
cross join {{ ref('fjsb_needs') }} as needs
