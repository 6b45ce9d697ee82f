-- Each LSOA with its ward, local authority and one community safety partnership and police
-- force area. The ONS LAD -> CSP lookup lists some authorities under several CSPs (East
-- Suffolk: Suffolk Coastal and Waveney; Bournemouth, Christchurch and Poole: Bournemouth,
-- Poole and Dorset); the LSOA's 2011 name starts with its old district, so the CSP of that
-- name is preferred, then the highest CSP code (Christchurch LSOAs fall to Dorset).
with candidates as (
    select
        lsoa.lsoa11cd as lsoa_code,
        lsoa.lsoa11nm as lsoa_name,
        lsoa.wd19cd as ward_code,
        lsoa.wd19nm as ward_name,
        lsoa.lad19cd as local_authority_code,
        lsoa.lad19nm as local_authority,
        lad.csp19cd as community_safety_partnership_code,
        lad.csp19nm as community_safety_partnership,
        lad.pfa19cd as police_force_area_code,
        lad.pfa19nm as police_force_area,
        row_number() over (
            partition by lsoa.lsoa11cd
            order by
                case when lsoa.lsoa11nm like {{ dbt.concat(['lad.csp19nm', "' %'"]) }} then 0 else 1 end,
                lad.csp19cd desc nulls last
        ) as csp_rank
    from {{ ref('geo_lsoa11_ward19_lad19') }} as lsoa
    left join {{ ref('geo_lad19_csp19_pfa19') }} as lad
        on lsoa.lad19cd = lad.lad19cd
)

select
    lsoa_code,
    lsoa_name,
    ward_code,
    ward_name,
    local_authority_code,
    local_authority,
    community_safety_partnership_code,
    community_safety_partnership,
    police_force_area_code,
    police_force_area
from candidates
where csp_rank = 1
