{#- Rows of `model` whose `column_name` has no match in `to`.`field`, and of `to` without a
    match in `model`: the two sets of keys are equal (e.g. a seed lists exactly the contract's
    codes). -#}
{% test same_keys_as(model, column_name, to, field) %}
with this_side as (
    select distinct {{ column_name }} as key_value from {{ model }}
),

other_side as (
    select distinct {{ field }} as key_value from {{ to }}
)

select this_side.key_value
from this_side
left join other_side on this_side.key_value = other_side.key_value
where other_side.key_value is null
union all
select other_side.key_value
from other_side
left join this_side on other_side.key_value = this_side.key_value
where this_side.key_value is null
{% endtest %}
