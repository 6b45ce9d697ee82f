-- LSOA (2011) -> ward (2019) -> local authority (2019) -> community safety partnership ->
-- police force area, England and Wales. Where a local authority spans more than one CSP
-- (East Suffolk, Bournemouth Christchurch and Poole) the LSOA takes the CSP its 2011 district
-- name begins with, else the last such CSP by code (see int_geography__lsoa_csp).
select
    cast(lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
    cast(lsoa_name as {{ dbt.type_string() }}) as lsoa_name,
    cast(ward_code as {{ dbt.type_string() }}) as ward_code,
    cast(ward_name as {{ dbt.type_string() }}) as ward_name,
    cast(local_authority_code as {{ dbt.type_string() }}) as local_authority_code,
    cast(local_authority as {{ dbt.type_string() }}) as local_authority,
    cast(community_safety_partnership_code as {{ dbt.type_string() }}) as community_safety_partnership_code,
    cast(community_safety_partnership as {{ dbt.type_string() }}) as community_safety_partnership,
    cast(police_force_area_code as {{ dbt.type_string() }}) as police_force_area_code,
    cast(police_force_area as {{ dbt.type_string() }}) as police_force_area
from {{ ref('int_geography__lsoa_csp') }}
