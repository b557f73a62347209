"""Shared vocabularies for tool inputs: the words the policies use, as enum values users pick."""

from __future__ import annotations

from enum import StrEnum


class Education(StrEnum):
    zhongzhuan = "中专"
    jigong_zhongji = "技工院校中级工班"
    jigong_gaoji = "技工院校高级工班"
    jigong_yubei_jishi = "技工院校预备技师（技师）班"
    dazhuan = "大专"
    benke = "本科"
    yanjiusheng_ban = "研究生班"
    shuoshi = "硕士"
    boshi = "博士"


class UnitType(StrEnum):
    shiye = "事业单位"
    guoqi = "国有企业"
    feigong = "非公有制经济组织"
    shehui_zuzhi = "社会组织"
    ziyou = "自由职业"
    gongwuyuan = "公务员（含参公人员）"
    lituixiu = "离退休人员"


class WorkplaceLevel(StrEnum):
    shizhi = "市直"
    qu = "区"
    xiangzhen = "乡镇"
    cun = "村（嘎查）"


class TitleLevel(StrEnum):
    none = "无"
    yuanji = "员级"
    zhuli = "助理级"
    zhongji = "中级"
    fugao = "副高级"
    zhenggao = "正高级"


TITLE_ORDER = [TitleLevel.none, TitleLevel.yuanji, TitleLevel.zhuli, TitleLevel.zhongji, TitleLevel.fugao,
               TitleLevel.zhenggao]


class Jurisdiction(StrEnum):
    shi = "市本级"
    qu = "区"
