-- The need flags of the fjsb_needs contract (macro fjsb_need_flags), one row each: dim_need is
-- tested to name exactly these, so the seed and the unpivot cannot drift apart.
{% for need in cjb.fjsb_need_flags() -%}
    {% if not loop.first %}union all{% endif %}
    select cast('{{ need }}' as {{ dbt.type_string() }}) as need
{% endfor %}
