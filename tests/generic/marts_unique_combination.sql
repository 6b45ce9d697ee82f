{#- The combination of columns is unique in the model: no two rows share the same values (nulls
    compare equal, so a nullable grain column is checked too). Fails with one row per repeated
    combination. -#}
{% test marts_unique_combination(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as rows_with_this_combination
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
