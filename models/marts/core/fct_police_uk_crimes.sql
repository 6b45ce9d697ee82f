-- One row per police_uk street row of the latest file for each force and month, with the local
-- authority from the LSOA lookup (null outside it) and the ONS offence group of its category.
select
    cast(street.street_row_id as {{ dbt.type_string() }}) as street_row_id,
    cast(street.force as {{ dbt.type_string() }}) as force,
    {{ cjb.calendar_columns('street.month_start') }},
    cast(street.crime_id as {{ dbt.type_string() }}) as crime_id,
    cast(street.crime_type as {{ dbt.type_string() }}) as crime_type,
    cast(coalesce(categories.is_anti_social_behaviour, street.crime_type = 'Anti-social behaviour') as boolean)
        as is_anti_social_behaviour,
    cast(street.lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
    cast(geography.local_authority as {{ dbt.type_string() }}) as local_authority,
    cast(geography.police_force_area as {{ dbt.type_string() }}) as police_force_area,
    cast(categories.offence_group as {{ dbt.type_string() }}) as offence_group,
    cast(street.last_outcome_category as {{ dbt.type_string() }}) as last_outcome_category,
    cast(street.falls_within as {{ dbt.type_string() }}) as falls_within,
    cast(street.source_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(street.landed_at as timestamp) as landed_at
from {{ ref('stg_police_uk__street_crimes') }} as street
left join {{ ref('dim_geography') }} as geography
    on street.lsoa_code = geography.lsoa_code
left join {{ ref('dim_police_uk_crime_category') }} as categories
    on street.crime_type = categories.crime_type
