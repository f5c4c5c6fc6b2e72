"""`gridctl grid tree` and `gridctl grid show` on the example city."""

from __future__ import annotations

from tests.helpers import run


def test_tree_json_is_nested_from_the_city(loaded):
    roots = run("grid", "tree", "--json").json()
    assert [r["name"] for r in roots] == ["郑州市"]
    districts = roots[0]["children"]
    assert [d["name"] for d in districts] == ["金水区", "惠济区", "新郑市"]
    jbl = districts[0]["children"][0]
    assert jbl["name"] == "经八路街道" and len(jbl["children"]) == 4
    assert len(jbl["children"][0]["children"]) == 5


def test_tree_of_a_node_with_depth(loaded):
    node = run("grid", "tree", "金水区", "--depth", "1", "--json").json()
    assert node["code"] == "410105"
    assert [c["name"] for c in node["children"]] == ["经八路街道"]
    assert node["children"][0]["children"] == []


def test_tree_prints_names_and_codes(loaded):
    result = run("grid", "tree", "新郑市/梨河镇/小乔村")
    assert result.exit_code == 0
    assert "小乔村" in result.stdout and "410184101003005" in result.stdout


def test_show_node_with_posts_masked_phones_teams_departments(loaded):
    info = run("grid", "show", "金水区/经八路街道/黄河路社区", "--json").json()
    assert info["code"] == "410105001001" and info["level"] == "community"
    assert info["path"] == "金水区/经八路街道/黄河路社区"
    assert [a["code"] for a in info["ancestors"]] == ["410105001", "410105", "4101"]
    assert {p["role"] for p in info["posts"]} == {"第一书记", "支部书记", "首席民警"}
    for post in info["posts"]:
        assert post["phone"][3:7] == "****" and len(post["phone"]) == 11
    assert [t["code"] for t in info["teams"]] == ["T01"]
    assert {"CG105", "CG4101"} <= {d["code"] for d in info["departments"]}
    assert info["children"] == {"block": 5}


def test_show_accepts_code_path_with_city_and_unique_name(loaded):
    by_code = run("grid", "show", "410105001001", "--json").json()
    with_city = run("grid", "show", "郑州市/金水区/经八路街道/黄河路社区", "--json").json()
    by_name = run("grid", "show", "黄河路社区", "--json").json()
    assert by_code["code"] == with_city["code"] == by_name["code"] == "410105001001"


def test_show_text_masks_phones(loaded):
    result = run("grid", "show", "410105001001")
    assert result.exit_code == 0
    assert "138****" in result.stdout
    assert "13800000" not in result.stdout


def test_unknown_node_gives_closest_matches(loaded):
    result = run("grid", "show", "金水区/经八路街道/黄河路社")
    assert result.exit_code == 1
    assert "找不到网格" in result.stderr and "金水区/经八路街道/黄河路社区" in result.stderr
    result = run("grid", "show", "41010500100")
    assert result.exit_code == 1 and "410105001001" in result.stderr


def test_ambiguous_name_lists_the_paths(loaded):
    result = run("grid", "show", "1号楼院")
    assert result.exit_code == 1
    assert "金水区/经八路街道/黄河路社区/1号楼院" in result.stderr


def test_show_as_of_names_the_holder_then(loaded):
    code = "410105001001003"  # its 网格长 changed on 2026-07-01
    march = run("grid", "show", code, "--as-of", "2026-03-01", "--json").json()["posts"]
    august = run("grid", "show", code, "--as-of", "2026-08-01", "--json").json()["posts"]
    assert len(march) == len(august) == 1
    assert march[0]["person"] != august[0]["person"]
    assert march[0]["until"] == "2026-06-30" and august[0]["since"] == "2026-07-01"


def test_grid_commands_on_an_empty_ledger_say_load_first():
    assert run("init").exit_code == 0          # an empty ledger (a missing one is refused: test_cli_misc)
    result = run("grid", "tree")
    assert result.exit_code == 1 and "gridctl load" in result.stderr      # it printed nothing, exit 0
    result = run("grid", "show", "金水区")
    assert result.exit_code == 1 and "gridctl load" in result.stderr


def test_unknown_node_suggests_substring_matches_best_first(loaded):
    """`grid show 黄河路` offers 黄河路社区 first (a name that starts with it), then what lies under it."""
    result = run("grid", "show", "黄河路")
    assert result.exit_code == 1
    offered = result.stderr.split("是否要找: ")[1].strip().split(", ")
    assert offered[0] == "金水区/经八路街道/黄河路社区"
    assert all("黄河路" in path for path in offered)
    nested = run("grid", "show", "金水区/黄河")
    assert "金水区/经八路街道/黄河路社区" in nested.stderr


def test_a_path_typed_with_a_full_width_slash_is_the_same_node(loaded):
    """A Chinese input method in full-width mode types ／: `金水区／经八路街道` was not found (and the
    closest names offered were the districts)."""
    for path in ("金水区／经八路街道", "金水区/经八路街道", "４１０１０５００１"):    # and a code's full-width digits
        shown = run("grid", "show", path, "--json")
        assert shown.exit_code == 0, shown.stderr
        assert shown.json()["code"] == "410105001"


def test_a_grid_or_category_given_empty_is_said_as_none_given(loaded):
    """`grid show ''`, `-g ''` or `-c ''` (a script's unset variable, a cell copied empty) was said as
    a search for a grid named nothing: `找不到网格“”; 是否要找: 金水区, 郑州市, …` (five unrelated
    grids), `未知问题类别“”`. Each is said as none given, with what to write (exit 1); an empty
    filter (`issue list --grid ''`) still means no filter."""
    cases = (("grid", "show", ""), ("grid", "show", " / "), ("duty", "who", "--category", "非法建设", "--grid", ""),
             ("report", "notice", "--grid", "", "-o", "n.xlsx"),
             ("--by", "P007", "issue", "add", "-g", "", "-c", "占道", "-s", "热线", "-t", "x"))
    for args in cases:
        zh = run(*args)
        assert zh.exit_code == 1 and "没有给出网格 (是空的); 请写出网格编码或路径" in zh.stderr, (args, zh.stderr)
        assert "是否要找" not in zh.stderr and "“”" not in zh.stderr
        en = run("--lang", "en", *args)
        assert en.exit_code == 1 and "no grid given (it is empty)" in en.stderr, (args, en.stderr)
    for args in (("duty", "who", "--category", "", "--grid", "410105001001"),
                 ("--by", "P007", "issue", "add", "-g", "410105001001", "-c", " ", "-s", "热线", "-t", "x")):
        zh = run(*args)
        assert zh.exit_code == 1 and "没有给出问题类别 (是空的); 请写出类别的名称或编码" in zh.stderr, (args, zh.stderr)
        en = run("--lang", "en", *args)
        assert en.exit_code == 1 and "no category given (it is empty)" in en.stderr, (args, en.stderr)
    assert run("issue", "list", "--grid", "").exit_code == 0


def test_grid_tree_of_a_ledger_before_its_first_load_says_so(db):
    """`gridctl init && gridctl grid tree` printed nothing at all, exit 0 (`--json`: []), as if the
    city had no grids; the other commands say 台账中还没有网格, 请先 gridctl load. So does the tree now."""
    assert run("init").exit_code == 0
    zh = run("grid", "tree")
    assert zh.exit_code == 1 and "台账中还没有网格, 请先 gridctl load" in zh.stderr, (zh.stdout, zh.stderr)
    en = run("--lang", "en", "grid", "tree", "--json")
    assert en.exit_code == 1 and en.json()["error"]["code"] == "grid.empty"
