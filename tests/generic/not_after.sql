{#- Rows where `column_name` is after `other_column` (both non-null): e.g. an offence date after
    the recorded date, a period start after its end. Nulls pass. -#}
{% test not_after(model, column_name, other_column) %}
select *
from {{ model }}
where
    {{ column_name }} is not null
    and {{ other_column }} is not null
    and {{ column_name }} > {{ other_column }}
{% endtest %}
