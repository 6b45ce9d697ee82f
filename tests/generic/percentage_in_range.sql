{#- Rows whose percentage lies outside 0-100 (nulls pass: a zero denominator gives null). -#}
{% test percentage_in_range(model, column_name) %}
select *
from {{ model }}
where
    {{ column_name }} is not null
    and ({{ column_name }} < 0 or {{ column_name }} > 100)
{% endtest %}
