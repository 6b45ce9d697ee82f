{#- A column equals the sum of other columns on every row (e.g. trials listed = effective +
    cracked + ineffective). Fails with the rows where it does not. -#}
{% test marts_sums_match(model, column_name, parts) %}
select *
from {{ model }}
where {{ column_name }} <> {{ parts | join(' + ') }}
{% endtest %}
