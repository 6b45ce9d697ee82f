-- Courts by code and jurisdiction, from the magistrates' and Crown Court lists. A code listed
-- twice in one list (Crown Court id 769: Luton and Mold) keeps one row naming both.
with courts as (
    select
        cast(trim(id) as {{ dbt.type_string() }}) as court_code,
        cast('magistrates' as {{ dbt.type_string() }}) as jurisdiction,
        court_name_full,
        court_name_short,
        city,
        postcode,
        region
    from {{ ref('courts_magistrates') }}
    union all
    select
        cast(trim(id) as {{ dbt.type_string() }}) as court_code,
        cast('crown' as {{ dbt.type_string() }}) as jurisdiction,
        court_name_full,
        court_name_short,
        city,
        postcode,
        region
    from {{ ref('courts_crown') }}
),

by_code as (
    select
        court_code,
        jurisdiction,
        min(court_name_full) as first_name,
        max(court_name_full) as last_name,
        min(court_name_short) as court_name_short,
        min(city) as city,
        min(postcode) as postcode,
        min(region) as region,
        count(*) as listed
    from courts
    group by court_code, jurisdiction
)

select
    cast({{ dbt.concat(['jurisdiction', "':'", 'court_code']) }} as {{ dbt.type_string() }}) as court_key,
    cast(court_code as {{ dbt.type_string() }}) as court_code,
    cast(jurisdiction as {{ dbt.type_string() }}) as jurisdiction,
    cast(
        case
            when listed > 1 then {{ dbt.concat(['first_name', "' / '", 'last_name']) }}
            else first_name
        end as {{ dbt.type_string() }}
    ) as court_name,
    cast(court_name_short as {{ dbt.type_string() }}) as court_name_short,
    cast(city as {{ dbt.type_string() }}) as city,
    cast(postcode as {{ dbt.type_string() }}) as postcode,
    cast(region as {{ dbt.type_string() }}) as region,
    cast(listed > 1 as boolean) as is_code_ambiguous
from by_code
