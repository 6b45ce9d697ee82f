{#- Recoding helpers for staging: one definition per rule so every source recodes alike. -#}

{#- An enum as the contract spells it: trimmed, lower case, blank -> null. -#}
{% macro clean_enum(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}

{#- A code: trimmed, upper case, blank -> null (reason codes, LSOA codes). -#}
{% macro clean_code(expr) -%}
    nullif(upper(trim({{ expr }})), '')
{%- endmacro %}

{#- Home Office crime outcome type: compared like offence codes ('01' and '1' are '1', '1a' is
    '1A'); '0' ("not yet assigned") reads as no outcome. -#}
{% macro canonical_outcome_type(expr) -%}
    {{ cjb.canonical_offence_code(expr) }}
{%- endmacro %}

{#- Sex as the marts read it: M, F, or U for unknown, blank or anything else; never null. -#}
{% macro recode_sex(expr) -%}
    case
        when upper(trim({{ expr }})) in ('M', 'F') then upper(trim({{ expr }}))
        else 'U'
    end
{%- endmacro %}

{#- A nullable boolean as a yes / no / unknown answer. -#}
{% macro yes_no_unknown(expr) -%}
    case
        when {{ expr }} then 'yes'
        when not {{ expr }} then 'no'
        else 'unknown'
    end
{%- endmacro %}

{#- The twelve need flags of the fjsb_needs extract, in contract order (seeds/fjsb_needs.csv
    names and groups them; a data test checks the seed covers exactly these). -#}
{% macro fjsb_need_flags() -%}
    {{ return([
        'previous_conviction', 'problematic_drug_use', 'problematic_alcohol_use', 'disability',
        'mental_health', 'domestic_abuse', 'self_harm_suicidal_ideation', 'sexual_trauma',
        'neurodivergent', 'sex_work', 'housing_concern', 'financial_concern'
    ]) }}
{%- endmacro %}

{#- The warehouse column name of a need flag (booleans read is_/has_). -#}
{% macro fjsb_need_column(need) -%}
    {{ return('is_' ~ need if need == 'neurodivergent' else 'has_' ~ need) }}
{%- endmacro %}

{#- A stable surrogate key: md5 hex of the parts joined by '|', nulls as ''. Portable
    (dbt.hash is md5 on DuckDB and Spark). -#}
{% macro surrogate_key(parts) -%}
    {%- set pieces = [] -%}
    {%- for part in parts -%}
        {%- do pieces.append("coalesce(cast(" ~ part ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last %}{% do pieces.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(pieces)) }}
{%- endmacro %}
