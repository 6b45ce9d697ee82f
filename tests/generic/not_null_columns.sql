{#- Every listed column is filled on every row, checked in one scan of the model. Fails with one
    row per column that has nulls, and how many rows.

    The models' YAML lists their required columns here rather than a `not_null` test on each:
    every dbt test is a node of its own, and a node costs dbt about 0.1 s of Python (compiling,
    running, logging) whatever the data, on top of its scan. Key columns keep their own
    `unique` and `not_null` tests (docs/operations.md, "Building at scale"). -#}
{% test not_null_columns(model, column_names) %}
with null_counts as (
    select
        {% for column in column_names -%}
            count(*) - count({{ column }}) as {{ adapter.quote('nulls_in_' ~ column) }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from {{ model }}
)

{% for column in column_names -%}
    select
        cast('{{ column }}' as {{ dbt.type_string() }}) as column_name,
        {{ adapter.quote('nulls_in_' ~ column) }} as null_rows
    from null_counts
    where {{ adapter.quote('nulls_in_' ~ column) }} > 0
    {% if not loop.last %}union all{% endif %}
{% endfor %}
{% endtest %}
