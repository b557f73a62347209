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


class TalentAward(StrEnum):
    """破格申报与绿色通道条款点名的奖项、荣誉和人才项目（实施意见五、（四），2023年通知四、（五））。"""

    quanguo_jiechu = "全国杰出专业技术人才"
    guowuyuan_jintie = "享受国务院政府特殊津贴人员"
    baiqianwan = "国家百千万人才工程人选"
    guojia_tuchu_zhuanjia = "国家突出贡献专家"
    guojia_qita_jihua = "国家其他人才计划入选者"
    zzq_jiechu_rencai = "自治区杰出人才奖获得者"
    zzq_tuchu_zhuanjia = "自治区突出贡献专家"
    caoyuan_yingcai_yinjin = "自治区草原英才工程引进人选"
    rencai_321_1 = "自治区321人才工程（新时代专业技术人员选拔培养项目）一层次人选"
    keji_guojia = "科技成果国家级奖额定获奖人员"
    keji_zzq_yideng = "科技成果自治区（省部）级一等奖额定获奖人员"
    keji_zzq_ersan = "自治区科技成果二、三等奖额定获奖人员"
    hangye_yideng_liangxiang = "自治区行业一等奖（含原盟市科技成果一等奖）两项以上额定获奖人员"
    qingnian_chuangxin = "自治区青年创新人才奖获得者"
    rencai_321_2 = "自治区321人才工程（新时代专业技术人员选拔培养项目）二层次人选"
    caoyuan_qingnian_1 = "自治区草原英才工程青年创新创业人才培养计划一层次人选"
    rencai_321_3 = "新时代专业技术人员选拔培养项目三层次人选"
    caoyuan_qingnian_2 = "自治区草原英才工程青年创新创业人才培养计划二层次人选"
    zhongda_gongxian = "取得重大技术突破、作出重大贡献的专业技术人员或国家重点实验室等的技术负责人（经推荐）"
    yinjin_gaocengci = "按内政发〔2017〕77号引进的海内外高层次人才、急需紧缺人才"
    boshihou = "博士后（在站期间获博士后科学基金资助或主持省部级以上科研项目，出站后留乌海工作）"
    xueli_tuijian = "不具备学历要求但业绩显著、贡献突出并有正高级同行专家推荐"
    haiwai_guiguo = "在海外长期从事专业技术工作并取得显著业绩的归国人员"
    yishi_yiyi = "市直事业单位“一事一议”引进人才"
    shibenji_yinjin = "市本级引进的高层次人才或重点行业、重点领域急需紧缺人才"


class TransferOrigin(StrEnum):
    gongwuyuan = "公务员（含参照公务员法管理人员）"
    junzhuan = "军队转业干部"


class District(StrEnum):
    haibowan = "海勃湾区"
    hainan = "海南区"
    wuda = "乌达区"
