-- data.police.uk crime categories with the ONS offence group each maps to: the seed's mapping
-- up to ' > ' (the subgroup), without an '(approx.)' note. Anti-social behaviour is not
-- recorded crime and has no ONS group: its group reads 'Anti-social behaviour'.
with categories as (
    select
        csv_crime_type,
        api_slug,
        description,
        maps_to_ons_offence_group,
        {{ dbt.split_part('maps_to_ons_offence_group', "' > '", 1) }} as mapped_group
    from {{ ref('police_uk_crime_categories') }}
)

select
    cast(csv_crime_type as {{ dbt.type_string() }}) as crime_type,
    cast(api_slug as {{ dbt.type_string() }}) as api_slug,
    cast(description as {{ dbt.type_string() }}) as crime_type_description,
    cast(
        case
            when maps_to_ons_offence_group like '(%' then csv_crime_type
            else trim(replace(mapped_group, '(approx.)', ''))
        end as {{ dbt.type_string() }}
    ) as offence_group,
    cast(maps_to_ons_offence_group as {{ dbt.type_string() }}) as ons_mapping,
    cast(api_slug = 'anti-social-behaviour' as boolean) as is_anti_social_behaviour
from categories
