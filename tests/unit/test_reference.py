"""The fixed vocabularies (body regions, qualities) and the body map drawn from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from diary.reference import QUALITIES, QUALITIES_BY_CODE, REGIONS, REGIONS_BY_CODE
from diary.reference.regions import CHOIR_REGIONS, TRIGEMINAL_REGIONS, Region

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def render_map(**kwargs: object) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    template = env.from_string(
        '{% from "entries/_body_map.html" import body_map %}{{ body_map(regions, **kwargs) }}'
    )
    return template.render(regions=REGIONS, kwargs=kwargs)


# --- The vocabulary ---------------------------------------------------------------------------


def test_choir_regions_are_36_on_the_front_and_38_on_the_back() -> None:
    assert len(CHOIR_REGIONS) == 74
    assert sum(region.view == "front" for region in CHOIR_REGIONS) == 36
    assert sum(region.view == "back" for region in CHOIR_REGIONS) == 38


def test_each_side_of_the_face_has_the_three_trigeminal_divisions() -> None:
    assert {region.code for region in TRIGEMINAL_REGIONS} == {
        f"trigeminal_v{division}_{side}" for division in (1, 2, 3) for side in ("right", "left")
    }
    assert all(region.view == "front" and region.in_face_inset for region in TRIGEMINAL_REGIONS)
    assert REGIONS == CHOIR_REGIONS + TRIGEMINAL_REGIONS


def test_codes_are_unique_snake_case_and_name_their_view_and_side() -> None:
    codes = [region.code for region in REGIONS]
    assert len(codes) == len(set(codes))
    assert {region.code: region for region in REGIONS} == REGIONS_BY_CODE
    for region in REGIONS:
        assert SNAKE_CASE.match(region.code), region.code
        assert region.code.endswith(f"_{region.side}"), region.code
        if not region.in_face_inset:
            assert region.code.startswith(f"{region.view}_"), region.code


def test_labels_are_unique_and_say_the_side() -> None:
    labels = [region.label for region in REGIONS]
    assert len(labels) == len(set(labels))
    for region in REGIONS:
        assert region.label.startswith(region.side.capitalize()), region.label


@pytest.mark.parametrize("left", [r for r in REGIONS if r.side == "left"], ids=lambda r: r.code)
def test_each_left_region_has_a_right_twin_with_the_same_label(left: Region) -> None:
    right = REGIONS_BY_CODE[left.code.removesuffix("_left") + "_right"]
    assert right.side == "right"
    assert right.view == left.view
    assert right.label == left.label.replace("Left", "Right", 1)


# --- SNOMED CT --------------------------------------------------------------------------------

# Verhoeff's dihedral-group tables, as SNOMED CT uses them for the check digit of an SCTID.
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_ok(digits: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def test_verhoeff_check_accepts_known_ids_and_rejects_a_typo() -> None:
    assert verhoeff_ok("91775009")  # Structure of left shoulder region
    assert verhoeff_ok("22253000")  # Pain
    assert not verhoeff_ok("91775008")
    assert not verhoeff_ok("91757009")  # two digits swapped


@pytest.mark.parametrize("region", REGIONS, ids=lambda r: r.code)
def test_snomed_id_is_a_well_formed_concept_id(region: Region) -> None:
    assert region.snomed.isdigit()
    assert 6 <= len(region.snomed) <= 18
    assert not region.snomed.startswith("0")
    # The partition identifier (the two digits before the check digit) says "concept".
    assert region.snomed[-3:-1] in {"00", "10"}
    assert verhoeff_ok(region.snomed)


def test_twins_have_distinct_snomed_ids_where_snomed_has_laterality() -> None:
    # Only the sites documented as "nearest" (non-lateral) share one id across both sides.
    shared = {
        r.code.removesuffix("_left")
        for r in REGIONS
        if r.side == "left"
        and REGIONS_BY_CODE[r.code.removesuffix("_left") + "_right"].snomed == r.snomed
    }
    assert shared == {
        "front_neck",
        "back_neck",
        "back_flank",
        "trigeminal_v1",
        "trigeminal_v2",
        "trigeminal_v3",
    }


# --- Shapes -----------------------------------------------------------------------------------

_ARGUMENTS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
_TOKEN = re.compile(
    r"([MLHVCSQTAZmlhvcsqtaz])|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([\s,]+)|(.)"
)


def parse_path(d: str) -> list[tuple[str, list[float]]]:
    """Split SVG path data into commands with their numbers; raise on anything malformed."""
    commands: list[tuple[str, list[float]]] = []
    for command, number, _space, junk in _TOKEN.findall(d):
        if junk:
            raise ValueError(f"unexpected {junk!r} in path data")
        if command:
            commands.append((command, []))
        elif number:
            if not commands:
                raise ValueError("path data must start with a command")
            commands[-1][1].append(float(number))
    if not commands or commands[0][0] not in "Mm":
        raise ValueError("path data must start with a moveto")
    for command, numbers in commands:
        arity = _ARGUMENTS[command.upper()]
        if (arity == 0 and numbers) or (arity and (not numbers or len(numbers) % arity)):
            raise ValueError(f"{command} takes {arity} numbers at a time, got {len(numbers)}")
    if len(commands) < 2:
        raise ValueError("path data draws nothing")
    return commands


def points(d: str) -> list[tuple[float, float]]:
    numbers = [n for _command, ns in parse_path(d) for n in ns]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_path_parser_rejects_malformed_data() -> None:
    for bad in ["", "L1 2", "M1 2", "M1 2 L3", "M1 2 L3 4 Z 5", "M1 2 L3 x Z"]:
        with pytest.raises(ValueError, match=r"."):
            parse_path(bad)


@pytest.mark.parametrize("region", REGIONS, ids=lambda r: r.code)
def test_path_is_valid_svg_path_data_inside_the_view_box(region: Region) -> None:
    corners = points(region.path)
    assert len(corners) >= 3
    assert all(0 <= x <= 200 and 0 <= y <= 440 for x, y in corners)


def centre_x(region: Region) -> float:
    xs = [x for x, _y in points(region.path)]
    return sum(xs) / len(xs)


@pytest.mark.parametrize("left", [r for r in REGIONS if r.side == "left"], ids=lambda r: r.code)
def test_patient_right_is_drawn_on_the_viewers_left_only_on_the_front(left: Region) -> None:
    right = REGIONS_BY_CODE[left.code.removesuffix("_left") + "_right"]
    if left.view == "front":
        assert centre_x(right) < centre_x(left)
    else:
        assert centre_x(right) > centre_x(left)


def test_twins_are_mirror_images() -> None:
    for left in (r for r in REGIONS if r.side == "left"):
        right = REGIONS_BY_CODE[left.code.removesuffix("_left") + "_right"]
        left_xs = sorted(x for x, _y in points(left.path))
        right_xs = sorted(x for x, _y in points(right.path))
        axis = (min(left_xs + right_xs) + max(left_xs + right_xs)) / 2
        assert sorted(round(2 * axis - x, 1) for x in right_xs) == pytest.approx(left_xs, abs=0.11)


# --- The macro --------------------------------------------------------------------------------


def test_map_has_each_region_once_and_a_checkbox_for_each() -> None:
    html = render_map()
    for region in REGIONS:
        assert html.count(f'data-region="{region.code}"') == 1, region.code
        assert html.count(f'id="region-{region.code}"') == 1, region.code
        assert re.search(
            rf'<input type="checkbox"[^>]* name="region" value="{region.code}"[^>]*>', html
        ), region.code
        assert f'<label for="region-choice-{region.code}">{region.label}</label>' in html
    assert html.count('role="checkbox"') == len(REGIONS)
    assert 'aria-label="Body map, front"' in html
    assert 'aria-label="Body map, back"' in html
    assert "<summary>Choose from a list</summary>" in html


def test_map_needs_no_inline_script_or_style() -> None:
    html = render_map(selected=["front_hand_left"], shades={"front_hand_left": 0.5})
    assert "<script" not in html
    assert "style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_selected_regions_are_checked_in_the_picture_and_the_list() -> None:
    html = render_map(selected=["front_shoulder_right"], name="locations")
    shoulder = re.search(r'<path id="region-front_shoulder_right"[^>]*>', html)
    assert shoulder
    assert "is-selected" in shoulder.group(0)
    assert 'aria-checked="true"' in shoulder.group(0)
    assert re.search(r'name="locations" value="front_shoulder_right" checked>', html)
    assert html.count(" checked>") == 1
    assert html.count('aria-checked="true"') == 1


def test_a_static_map_has_shades_and_nothing_to_operate() -> None:
    html = render_map(
        interactive=False,
        shades={"back_calf_left": 1.0, "back_heel_left": 0.0, "front_knee_right": 0.42},
    )
    assert 'type="checkbox"' not in html
    assert 'role="checkbox"' not in html
    assert 'tabindex="0"' not in html
    assert re.search(r'id="region-back_calf_left"[^>]*class="region shade-5"', html)
    assert re.search(r'id="region-back_heel_left"[^>]*class="region shade-0"', html)
    assert re.search(r'id="region-front_knee_right"[^>]*class="region shade-2"', html)
    assert re.search(r'id="region-front_knee_left"[^>]*class="region"', html)


# --- Qualities --------------------------------------------------------------------------------


def test_qualities_are_the_fifteen_descriptor_codes() -> None:
    assert [quality.code for quality in QUALITIES] == [
        "burning",
        "pressing",
        "squeezing",
        "electric_shock",
        "stabbing",
        "sharp",
        "brushing_evoked",
        "pressure_evoked",
        "cold_evoked",
        "pins_and_needles",
        "tingling",
        "numbness",
        "aching",
        "throbbing",
        "itching",
    ]
    assert {quality.code: quality for quality in QUALITIES} == QUALITIES_BY_CODE
    labels = [quality.label for quality in QUALITIES]
    assert all(labels) and len(set(labels)) == len(labels)
