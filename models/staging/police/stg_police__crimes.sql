-- Wiltshire Police recorded crimes: the latest version of each crime_ref (latest file period,
-- then latest landing), renamed and recoded. Offence and outcome codes are canonical (no
-- leading zeros, upper case); '0' / blank outcome reads as no outcome yet.
with latest as (
    select *
    from {{ cjb.latest_version(source('police', 'police_crimes'), ['crime_ref']) }} as standing_versions
)

select
    {{ cjb.stg_columns_police__crimes() }}
from latest
