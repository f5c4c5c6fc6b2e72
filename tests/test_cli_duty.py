"""`gridctl duty who`: every answer and the rule that produced it."""

from __future__ import annotations

from tests.helpers import run

BLOCK = "金水区/经八路街道/黄河路社区/1号楼院"


def who(category, grid, *extra):
    result = run("duty", "who", "--category", category, "--grid", grid, "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_illegal_building_at_a_block(loaded):
    route = who("非法建设", BLOCK)
    assert route["category"] == {"code": "illegal_building", "name": "非法建设"}
    assert route["lead"]["value"]["role"] == "网格长"
    assert route["lead"]["value"]["grid"] == "410105001001001"
    assert "职责清单: 非法建设 由网格长牵头" in route["lead"]["rule"]    # words, not the YAML key
    assert [d["code"] for d in route["department"]["value"]] == ["CG105"]
    assert "410105" in route["department"]["rule"]
    assert [t["code"] for t in route["assist"]["value"]] == ["T01"]
    assert route["authority"]["value"] == "township"
    assert route["platform"]["value"] == {"level": "township", "code": "410105001", "name": "经八路街道"}
    assert route["escalate"] is True
    assert [s["level"] for s in route["escalation_path"]] == ["township"]
    assert route["deadline"]["value"] == {"amount": 5, "unit": "working_days", "text": "5个工作日"}


def test_category_by_code_gives_the_same_route(loaded):
    assert who("illegal_building", BLOCK) == who("非法建设", BLOCK)


def test_lead_found_at_nearest_ancestor(loaded):
    route = who("信访稳定", BLOCK)  # lead_role 第一书记 is held at the community
    assert route["lead"]["value"]["grid"] == "410105001001"
    assert "最近的上级网格" in route["lead"]["rule"]


def test_department_falls_back_to_the_city(loaded):
    # 惠济区 has no 交通运输 department; the city's answers
    route = who("道路", "惠济区/老鸦陈街道/老鸦陈村/第一村民组")
    assert [d["code"] for d in route["department"]["value"]] == ["JT4101"]
    assert "市级" in route["department"]["rule"]
    assert route["platform"]["value"]["code"] == "410108"
    assert [s["code"] for s in route["escalation_path"]] == ["410108001", "410108"]


def test_no_department_anywhere_is_stated(loaded):
    route = who("基层组织建设", BLOCK)  # no 组织 department in the example city
    assert route["department"]["value"] is None
    assert "都没有" in route["department"]["rule"]


def test_community_authority_stays_on_own_platform(loaded):
    route = who("环境卫生", BLOCK)
    assert route["escalate"] is False
    assert route["platform"]["value"]["code"] == "410105001001"
    assert route["deadline"]["value"]["unit"] == "natural_days"


def test_no_team_assigned_is_stated(loaded):
    route = who("非法建设", "金水区/经八路街道/纬五路社区/1号楼院")
    assert route["assist"]["value"] is None
    assert "无驻点工作队" in route["assist"]["rule"]


def test_english_rules(loaded):
    result = run("--lang", "en", "duty", "who", "-c", "roads", "-g", "410184101002001")
    assert result.exit_code == 0
    assert "10 working days" in result.stdout and "Receiving platform" in result.stdout
    route = run("--lang", "en", "duty", "who", "-c", "roads", "-g", "410184101002001", "--json").json()
    assert route["platform"]["rule"] == ("found at a block; must be escalated level by level "
                                         "to the district platform (梨河镇 → 新郑市)")


def test_unknown_category_suggests(loaded):
    result = run("duty", "who", "--category", "非法建筑", "--grid", BLOCK)
    assert result.exit_code == 1
    assert "非法建设" in result.stderr


def test_near_categories_are_offered_by_name_in_chinese_and_by_code_in_english(loaded):
    """A near code was offered as the code on the Chinese screen (是否要找: roads, road_occupation)."""
    result = run("issue", "list", "--category", "road")
    assert result.exit_code == 1
    assert "是否要找: 道路, 占道" in result.stderr and "roads" not in result.stderr, result.stderr
    english = run("--lang", "en", "issue", "list", "--category", "占路")
    assert english.exit_code == 1
    assert "did you mean: roads, road_occupation" in english.stderr and "道路" not in english.stderr, english.stderr


def test_missing_option_is_a_usage_error(loaded):
    result = run("duty", "who", "--grid", BLOCK)
    assert result.exit_code == 2
