{#- The resend rule of the extract contract: for every record key the version from the latest
    file period wins; ties go to the file landed last (then, deterministically, the highest row
    number and file hash). Returns a subquery of every column of `relation` plus
    `_version_rank` (1 = the version that stands); select from it with `where _version_rank = 1`.
    Portable: a plain row_number() window, no QUALIFY. -#}
{% macro latest_version(relation, key_columns) -%}
    (
        select
            versions.*,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by
                    versions._period_start desc nulls last,
                    versions._landed_at desc nulls last,
                    versions._row_number desc nulls last,
                    versions._file_sha256 desc nulls last
            ) as _version_rank
        from {{ relation }} as versions
    )
{%- endmacro %}

{#- File-level resend rule for public police_uk files: a re-delivered file for the same
    partition (e.g. force and month) replaces the earlier one as a whole. Every row of the
    winning file gets `_file_rank` = 1 (dense_rank over the file's period, landing time and
    hash). -#}
{% macro latest_file(relation, partition_columns) -%}
    (
        select
            deliveries.*,
            dense_rank() over (
                partition by {{ partition_columns | join(', ') }}
                order by
                    deliveries._period_start desc nulls last,
                    deliveries._landed_at desc nulls last,
                    deliveries._file_sha256 desc nulls last
            ) as _file_rank
        from {{ relation }} as deliveries
    )
{%- endmacro %}
