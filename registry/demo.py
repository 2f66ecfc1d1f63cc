"""Demo item catalog of 大余县行政服务中心: seventy-odd items of the stationed departments.

The catalog is compact Python data below: one row per item, materials in a short notation, steps
either written out or derived from the handling mode and the committed limit. `catalog_workbook()`
turns it into the three-sheet workbook (事项, 申请材料, 办理环节) that an administrator would upload,
and `load_demo_catalog()` imports it through `registry.workbook.catalog_import`, the same code as the
admin import page and `import_catalog`. Items created by this run are then published (在用) or
suspended (暂停) through `registry.services.item_set_status`; the rest stay drafts (草稿).

The workbook has no 状态 column, so loading again never changes an item's status: the import is an
upsert by 事项编码, and a second load of the same workbook reports every item as unchanged and writes
nothing. The department names, windows, contacts and phones are those of `staffing.demo`.
"""

import io
import re

import openpyxl
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from staffing import demo as staffing_demo
from staffing import roles

from . import services, workbook
from .models import HandlingMode, ItemStatus, ItemType, MaterialForm, ServiceItem

FILE_NAME = "大余县政务服务事项目录(演示).xlsx"
REGION = "360723"  # 大余县
PUBLISH_REASON = "加载演示数据:发布"
SUSPEND_REASON = "加载演示数据:暂停(待新规出台)"
OFFICE_HOURS = "法定工作日 上午8:30—12:00,下午14:30—17:30(冬令时14:00—17:00)"

# Department short names used in the table below → the names of staffing.demo.
DEPARTMENTS = {
    "市场": "县市场监督管理局",
    "公安": "县公安局(户政)",
    "人社": "县人力资源和社会保障局",
    "自然资源": "县自然资源局",
    "住建": "县住房和城乡建设局",
    "税务": "国家税务总局大余县税务局",
    "卫健": "县卫生健康委员会",
    "交通": "县交通运输局",
    "民政": "县民政局",
    "不动产": "县不动产登记中心",
    "公积金": "县住房公积金管理中心",
    "医保": "县医疗保障局",
}

# 事项编码 = 360723-<type>-<number>
TYPE_CODES = {
    "XK": ItemType.LICENSING,
    "QR": ItemType.CONFIRMATION,
    "JF": ItemType.BENEFIT,
    "CJ": ItemType.RULING,
    "JL": ItemType.REWARD,
    "BA": ItemType.FILING,
    "QT": ItemType.OTHER_POWER,
    "GG": ItemType.PUBLIC_SERVICE,
}

IMM, COM, JOINT, UP = HandlingMode.IMMEDIATE, HandlingMode.COMMITTED, HandlingMode.JOINT, HandlingMode.REPORT_UP

# Fees (most items are free).
ID_CARD_FEE_BASIS = "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》(发改价格〔2003〕2322号)"
EXIT_ENTRY_FEE_BASIS = "《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》(发改价格规〔2019〕914号)"
REAL_ESTATE_FEE = "住宅类每件80元,非住宅类每件550元(含第一本不动产权证书工本费,每增加一本加收10元)"
REAL_ESTATE_FEE_BASIS = (
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》(发改价格规〔2016〕2559号);"
    "《财政部 国家发展改革委关于不动产登记收费有关政策问题的通知》(财税〔2016〕79号)"
)
ONE_THING = "《国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见》(国发〔2024〕3号)"

# Materials: 「name|flags」, flags: c 复印件 · b 原件和复印件 · e 电子 · ? not required · a digit: copies.
# Steps: 「name+days」 separated by spaces, 「~」 after the days: not counted towards the limit;
# None: derived from the handling mode and the committed limit (see `_default_steps`).
#
# (code, name, sub name, department, window, handling mode, statutory, committed, legal basis,
#  result, materials, steps, extras)
ITEMS = [
    # ---------------------------------------------------------------- 县市场监督管理局
    ("XK-001", "个体工商户设立登记", "", "市场", "01", IMM, 3, 0,
     "《市场主体登记管理条例》第三条、第十九条;《促进个体工商户发展条例》第八条", "营业执照",
     ["个体工商户登记(备案)申请书", "经营者居民身份证|b", "经营场所使用证明|c", "授权委托书及受托人身份证明|?"],
     None, {"online": True}),
    ("XK-002", "企业设立登记", "有限责任公司设立登记", "市场", "01", COM, 3, 1,
     "《中华人民共和国公司法》第二十九条;《市场主体登记管理条例》第十九条", "营业执照",
     ["公司登记(备案)申请书", "公司章程", "股东的主体资格证明或者自然人身份证明|c",
      "法定代表人、董事、监事和经理的任职文件及身份证明|c", "住所使用证明|c"],
     "受理0 审核1 发照0", {"online": True}),
    ("XK-003", "企业注销登记", "有限责任公司注销登记", "市场", "01", COM, 3, 1,
     "《中华人民共和国公司法》第二百三十九条;《市场主体登记管理条例》第三十一条、第三十二条", "准予注销登记通知书",
     ["公司注销登记申请书", "清算报告或股东会确认清算报告的决议|b", "清税证明|?", "营业执照正、副本"],
     "受理0 审核1 发文0", {"online": True}),
    ("XK-004", "食品经营许可", "新办", "市场", "02", COM, 10, 5,
     "《中华人民共和国食品安全法》第三十五条;《食品经营许可和备案管理办法》第十条", "食品经营许可证",
     ["食品经营许可申请书", "营业执照或者其他主体资格证明文件|c",
      "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
      "食品安全自查、从业人员健康管理、进货查验记录等食品安全管理制度"],
     "受理1 材料审查1 现场核查2 许可决定1", {}),
    ("XK-005", "药品零售企业许可", "药品经营许可证核发(零售)", "市场", "02", COM, 20, 15,
     "《中华人民共和国药品管理法》第五十一条、第五十二条;《药品经营和使用质量监督管理办法》", "药品经营许可证",
     ["药品经营许可证申请表", "营业执照|c", "执业药师注册证及身份证明|c",
      "经营场所、仓库的平面布局图及房屋产权或使用权证明|c", "药品质量管理制度文件目录"],
     "受理1 资料审查4 现场检查7 审批决定3", {"major": True, "visits": 2}),
    ("XK-006", "特种设备使用登记", "锅炉、压力容器、电梯", "市场", "01", COM, 15, 5,
     "《中华人民共和国特种设备安全法》第三十三条;《特种设备使用管理规则》", "特种设备使用登记证",
     ["特种设备使用登记表|2", "使用单位统一社会信用代码证明或个人身份证明|c", "特种设备产品合格证|c", "监督检验证明|c"],
     "受理1 审核3 发证1", {}),
    ("JL-001", "食品安全违法行为举报奖励", "", "市场", "02", COM, 30, 20,
     "《中华人民共和国食品安全法》第一百一十五条;《市场监管领域重大违法行为举报奖励暂行办法》", "举报奖励决定书",
     ["举报奖励申请表", "举报人居民身份证|c", "本人银行账户信息|c"],
     "受理1 核实审查15 奖励决定4", {"conditions": "举报事项经查证属实并依法作出行政处罚决定;举报人为实名举报。"}),
    ("GG-012", "企业开办“一件事”", "设立登记、公章刻制、税务登记、社保和公积金缴存登记", "市场", "01", JOINT, 3, 1,
     ONE_THING + ";《优化营商环境条例》第十九条", "营业执照、公章、发票、社保和公积金缴存登记",
     ["企业开办“一件事”申请表", "公司章程", "股东、法定代表人身份证明|c", "住所使用证明|c"],
     "受理0 联合办理1 结果送达0",
     {"co": ["税务", "公安", "人社", "公积金"], "online": True}),
    # ---------------------------------------------------------------- 县公安局(户政)
    ("XK-007", "户口迁移", "市外迁入", "公安", "03", COM, 20, 5,
     "《中华人民共和国户口登记条例》第十条、第十三条", "准予迁入证明",
     ["户口迁移申请表", "居民户口簿", "居民身份证|b", "合法稳定住所证明(房屋所有权证或购房合同)|c",
      "结婚证或亲属关系证明(投靠迁移时)|?"],
     "受理1 审核3 审批1", {}),
    ("QR-001", "出生登记", "", "公安", "03", IMM, None, 0,
     "《中华人民共和国户口登记条例》第七条", "居民户口簿(出生登记页)",
     ["出生医学证明", "父母双方居民户口簿", "父母双方居民身份证|b", "父母结婚证|?"], None, {}),
    ("QR-002", "居民身份证申领", "首次申领、换领", "公安", "03", COM, 40, 15,
     "《中华人民共和国居民身份证法》第八条、第十一条", "居民身份证",
     ["居民户口簿", "近期免冠照片(现场采集)|e", "原居民身份证(换领时交回)|?"],
     "受理采集0 审核签发10 制证4 发证1",
     {"fee": ("首次申领、换领每证20元;丢失补领、损坏换领每证40元", ID_CARD_FEE_BASIS)}),
    ("QR-003", "临时居民身份证申领", "", "公安", "03", IMM, None, 0,
     "《中华人民共和国居民身份证法》第十二条;《临时居民身份证管理办法》", "临时居民身份证",
     ["居民户口簿", "近期免冠照片(现场采集)|e"], None, {"fee": ("每证10元", ID_CARD_FEE_BASIS)}),
    ("XK-008", "普通护照签发", "首次申请", "公安", "04", UP, 7, 7,
     "《中华人民共和国护照法》第五条、第六条", "普通护照",
     ["中国公民出入境证件申请表", "居民身份证|b", "近期免冠照片(现场采集)|e"],
     "受理采集1 初审1 上报签发5",
     {"authority": "赣州市公安局出入境管理支队", "fee": ("每本120元", EXIT_ENTRY_FEE_BASIS)}),
    ("XK-009", "往来港澳通行证及签注签发", "", "公安", "04", UP, 7, 7,
     "《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》第五条", "往来港澳通行证及签注",
     ["中国公民出入境证件申请表", "居民身份证|b", "近期免冠照片(现场采集)|e"],
     "受理采集1 初审1 上报签发5",
     {"authority": "赣州市公安局出入境管理支队", "fee": ("通行证每证60元;签注每次15元", EXIT_ENTRY_FEE_BASIS)}),
    # ---------------------------------------------------------------- 县人力资源和社会保障局
    ("JF-001", "失业保险金申领", "", "人社", "05", COM, 10, 5,
     "《中华人民共和国社会保险法》第四十五条、第五十条;《失业保险条例》第十四条、第十六条", "失业保险金核定结果",
     ["居民身份证|b", "终止或解除劳动合同的证明|c", "本人社会保障卡或银行账户|c"], None, {"online": True}),
    ("GG-001", "就业创业证申领", "", "人社", "06", IMM, None, 0,
     "《就业服务与就业管理规定》第六十一条、第六十三条", "就业创业证",
     ["就业创业证申领登记表", "居民身份证|b"], None, {"online": True}),
    ("QR-004", "职工基本养老保险参保登记", "单位参保登记", "人社", "05", IMM, None, 0,
     "《中华人民共和国社会保险法》第五十七条、第五十八条;《社会保险费征缴暂行条例》第七条", "社会保险登记",
     ["社会保险登记表", "营业执照或批准成立证件|c", "法定代表人居民身份证|c"], None, {"online": True}),
    ("JF-002", "职工基本养老保险待遇核定", "按月领取", "人社", "05", COM, 20, 10,
     "《中华人民共和国社会保险法》第十六条;《国务院关于完善企业职工基本养老保险制度的决定》(国发〔2005〕38号)",
     "养老保险待遇核定表",
     ["职工基本养老保险待遇申领表", "居民身份证|b", "本人人事档案(出生时间、参加工作时间认定材料)", "社会保障卡|c"],
     "受理1 档案审核5 待遇核定3 复核1", {}),
    ("GG-002", "创业担保贷款申请", "个人创业担保贷款", "人社", "06", COM, 15, 10,
     "《财政部 人力资源社会保障部 中国人民银行关于进一步加大创业担保贷款贴息力度全力支持重点群体创业就业的通知》(财金〔2020〕21号)",
     "创业担保贷款审核意见",
     ["创业担保贷款申请表", "居民身份证|c", "就业创业证|c", "营业执照|c", "创业项目计划书"],
     "受理1 资格审核5 担保审核3 推荐放贷1", {}),
    ("GG-003", "退休“一件事”", "养老待遇核定、医保退休登记、公积金退休提取", "人社", "05", JOINT, 20, 10,
     ONE_THING + ";《中华人民共和国社会保险法》第十六条", "养老保险待遇核定、医保退休登记和公积金提取结果",
     ["居民身份证|b", "职工基本养老保险待遇申领表", "社会保障卡|c", "本人银行账户信息|c"],
     "受理1 联合审核8 办结告知1", {"co": ["医保", "公积金"]}),
    # ---------------------------------------------------------------- 县自然资源局
    ("XK-010", "建设用地规划许可证核发", "划拨方式", "自然资源", "07", COM, 20, 10,
     "《中华人民共和国城乡规划法》第三十七条", "建设用地规划许可证",
     ["建设用地规划许可申请表", "建设项目批准、核准或备案文件|c", "用地红线图及宗地图|e", "申请人身份证明或营业执照|c"],
     "受理1 审查6 审批决定3", {}),
    ("XK-011", "建设工程规划许可证核发", "", "自然资源", "07", COM, 20, 10,
     "《中华人民共和国城乡规划法》第四十条", "建设工程规划许可证",
     ["建设工程规划许可申请表", "建设项目用地权属证明|c", "建设工程设计方案总平面图及建筑单体方案|e",
      "建设项目批准、核准或备案文件|c"],
     "受理1 审查5 批前公示7~ 审批决定2", {"visits": 2}),
    ("XK-012", "乡村建设规划许可证核发", "农村村民住宅建设", "自然资源", "07", COM, 20, 10,
     "《中华人民共和国城乡规划法》第四十一条", "乡村建设规划许可证",
     ["乡村建设规划许可申请表", "村民委员会意见", "申请人居民身份证及户口簿|c", "宅基地批准文件|c", "住宅设计图或通用图|?"],
     "受理1 现场踏勘4 审查3 审批决定2", {}),
    ("XK-013", "农用地转用审批", "城镇批次建设用地", "自然资源", "07", UP, 20, 15,
     "《中华人民共和国土地管理法》第四十四条;《中华人民共和国土地管理法实施条例》第二十三条", "农用地转用批复",
     ["建设用地呈报说明书", "农用地转用方案", "补充耕地方案", "征收土地方案|?", "勘测定界报告及图件|e"],
     "受理1 审查组卷13 上报1 上级审批30~",
     {"authority": "江西省人民政府(经赣州市自然资源局审查转报)", "major": True}),
    ("CJ-001", "土地权属争议调处", "土地所有权和使用权争议", "自然资源", "07", COM, 120, 90,
     "《中华人民共和国土地管理法》第十四条;《土地权属争议调查处理办法》", "土地权属争议处理决定书",
     ["土地权属争议调查处理申请书", "申请人身份证明|c", "权属争议的证据材料|c", "争议地块位置图"],
     "受理5 调查取证45 调解20 处理决定20", {"visits": 2}),
    ("XK-014", "临时用地审批", "", "自然资源", "07", COM, 20, 10,
     "《中华人民共和国土地管理法》第五十七条", "临时用地批准文件",
     ["临时用地申请书", "临时使用土地合同|c", "土地复垦方案报告表", "临时用地勘测定界图|e"], None, {}),
    # ---------------------------------------------------------------- 县住房和城乡建设局
    ("XK-015", "建筑工程施工许可证核发", "", "住建", "08", COM, 7, 3,
     "《中华人民共和国建筑法》第七条、第八条;《建筑工程施工许可管理办法》第四条", "建筑工程施工许可证",
     ["建筑工程施工许可证申请表", "建设工程规划许可证|c", "施工合同及中标通知书|c", "施工图设计文件审查合格书|c",
      "工程质量安全监督手续|c"],
     "受理1 审核1 发证1", {"online": True}),
    ("XK-016", "商品房预售许可", "", "住建", "08", COM, 10, 7,
     "《中华人民共和国城市房地产管理法》第四十五条;《城市商品房预售管理办法》第七条", "商品房预售许可证",
     ["商品房预售许可申请表", "开发企业营业执照和资质证书|c", "土地使用权证、建设工程规划许可证和施工许可证|c",
      "投入开发建设资金达到工程建设总投资25%以上的证明", "商品房预售方案"],
     "受理1 资料审查2 现场查勘2 审批决定2", {"major": True, "visits": 2}),
    ("BA-001", "房屋建筑和市政基础设施工程竣工验收备案", "", "住建", "08", COM, 15, 5,
     "《建设工程质量管理条例》第四十九条;《房屋建筑和市政基础设施工程竣工验收备案管理办法》第四条",
     "竣工验收备案证明",
     ["竣工验收备案表|2", "工程竣工验收报告", "施工单位签署的工程质量保修书|c",
      "规划、消防等部门出具的认可文件或准许使用文件|c"],
     "受理1 审核3 备案1", {}),
    ("GG-004", "建设工程竣工联合验收", "", "住建", "08", JOINT, 15, 10,
     "《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》(国办发〔2019〕11号)", "竣工联合验收意见书",
     ["竣工联合验收申请表", "工程竣工验收报告", "竣工测量成果报告|e", "建设工程规划许可证及附图|c"],
     "受理1 联合现场验收6 出具意见3", {"co": ["自然资源"], "visits": 2}),
    ("XK-017", "燃气经营许可", "", "住建", "08", COM, 20, 15,
     "《城镇燃气管理条例》第十五条", "燃气经营许可证",
     ["燃气经营许可申请书", "营业执照|c", "燃气设施建设工程竣工验收文件|c",
      "主要负责人、安全管理人员及运行维护人员的专业培训考核合格证明|c", "安全管理制度和应急预案"],
     "受理1 审查8 现场核查4 审批决定2", {"status": ItemStatus.SUSPENDED}),
    ("XK-018", "城镇污水排入排水管网许可", "", "住建", "08", COM, 15, 7,
     "《城镇排水与污水处理条例》第二十一条;《城镇污水排入排水管网许可管理办法》", "排水许可证",
     ["城镇污水排入排水管网许可申请表", "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明材料",
      "按规定建设污水预处理设施的有关材料|?", "排水水质、水量检测报告|c"], None, {}),
    # ---------------------------------------------------------------- 国家税务总局大余县税务局
    ("XK-019", "增值税专用发票(增值税税控系统)最高开票限额审批", "", "税务", "10", COM, 20, 5,
     "《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号)附件第236项;《中华人民共和国发票管理办法》",
     "准予税务行政许可决定书",
     ["税务行政许可申请表|2", "经办人身份证件|c"], "受理1 审核3 决定1", {"online": True}),
    ("XK-020", "纳税人延期缴纳税款核准", "", "税务", "09", COM, 20, 10,
     "《中华人民共和国税收征收管理法》第三十一条;《中华人民共和国税收征收管理法实施细则》第四十二条",
     "准予延期缴纳税款决定书",
     ["税务行政许可申请表", "延期缴纳税款申请报告", "当期货币资金余额情况及所有银行存款账户的对账单|c",
      "应付职工工资和社会保险费等支出预算"], None, {}),
    ("QT-001", "发票领用", "", "税务", "10", IMM, None, 0,
     "《中华人民共和国发票管理办法》第十五条;《中华人民共和国发票管理办法实施细则》", "发票",
     ["发票领用信息表", "经办人身份证件|c"], None, {"online": True}),
    ("GG-005", "代开增值税发票", "", "税务", "10", IMM, None, 0,
     "《中华人民共和国发票管理办法》第十六条", "增值税发票",
     ["代开增值税发票缴纳税款申报单", "经办人身份证件|c", "付款方对款项有异议时的相关证明|?"], None, {"online": True}),
    ("QR-005", "清税申报", "税务注销", "税务", "09", IMM, None, 0,
     "《中华人民共和国税收征收管理法》第十六条;《中华人民共和国税收征收管理法实施细则》第十五条", "清税证明",
     ["清税申报表", "经办人身份证件|c", "发票缴销情况说明|?"], None, {"online": True}),
    ("QT-002", "契税申报", "不动产交易", "税务", "09", IMM, None, 0,
     "《中华人民共和国契税法》第九条、第十条", "契税完税凭证",
     ["不动产买卖合同|c", "不动产权属转移材料|c", "承受方居民身份证|c"], None, {}),
    # ---------------------------------------------------------------- 县卫生健康委员会
    ("XK-021", "医疗机构执业登记", "医院、门诊部", "卫健", "11", COM, 45, 20,
     "《医疗机构管理条例》第十五条、第十六条;《医疗机构管理条例实施细则》第二十九条", "医疗机构执业许可证",
     ["医疗机构申请执业登记注册书", "设置医疗机构批准书|c", "医疗机构用房产权证明或使用证明|c",
      "医疗机构建筑设计平面图", "卫生技术人员名录及执业证书|c", "医疗机构规章制度"],
     "受理1 材料审查5 现场审查10 审批决定4", {"major": True, "visits": 2}),
    ("XK-022", "公共场所卫生许可", "新办", "卫健", "11", COM, 20, 10,
     "《公共场所卫生管理条例》第八条;《公共场所卫生管理条例实施细则》第二十二条", "公共场所卫生许可证",
     ["公共场所卫生许可申请表", "营业执照|c", "公共场所卫生管理制度", "公共场所卫生检测或者评价报告|c",
      "从业人员健康合格证明|c"],
     "受理1 现场审查5 审批决定4", {}),
    ("BA-002", "诊所备案", "", "卫健", "11", IMM, None, 0,
     "《医疗机构管理条例》;《国家卫生健康委 国家中医药局关于印发诊所备案管理暂行办法的通知》(国卫医政发〔2022〕33号)",
     "诊所备案凭证",
     ["诊所备案信息表", "诊所房屋平面布局图|e", "诊所用房产权证明或使用证明|c", "诊所主要负责人及卫生技术人员执业证书|c",
      "诊所规章制度"], None, {}),
    ("XK-023", "饮用水供水单位卫生许可", "", "卫健", "11", COM, 20, 10,
     "《中华人民共和国传染病防治法》第二十九条;《生活饮用水卫生监督管理办法》第二十一条", "卫生许可证",
     ["供水单位卫生许可申请书", "营业执照|c", "设计图纸及相关文字说明", "水质检验报告|c", "从业人员健康体检合格证明|c"],
     None, {}),
    ("XK-024", "母婴保健技术服务执业许可", "助产技术、结扎手术", "卫健", "11", COM, 20, 15,
     "《中华人民共和国母婴保健法》第三十二条;《中华人民共和国母婴保健法实施办法》第三十五条",
     "母婴保健技术服务执业许可证",
     ["母婴保健技术服务执业许可申请登记书", "医疗机构执业许可证|c", "相关卫生技术人员资格证明|c", "相关设备、设施清单"],
     "受理1 审查6 现场评审6 审批决定2", {}),
    ("GG-006", "新生儿出生“一件事”", "出生医学证明、户口登记、医保参保登记", "卫健", "11", JOINT, 10, 5,
     ONE_THING, "出生医学证明、户口登记和医保参保登记结果",
     ["新生儿出生“一件事”申请表", "父母双方居民身份证|c", "父母双方居民户口簿|c", "父母结婚证|?"],
     "受理1 联合办理3 结果送达1", {"co": ["公安", "医保"], "online": True}),
    # ---------------------------------------------------------------- 县交通运输局
    ("XK-025", "道路旅客运输经营许可", "县内班车客运", "交通", "12", COM, 20, 15,
     "《中华人民共和国道路运输条例》第八条、第十条;《道路旅客运输及客运站管理规定》", "道路运输经营许可证",
     ["道路旅客运输经营申请表", "投资人、负责人身份证明及委托书|c", "拟投入车辆承诺书",
      "驾驶员从业资格证及驾驶证|c", "安全生产管理制度文本", "企业章程文本|?"],
     "受理1 审查8 现场核查4 审批决定2", {}),
    ("XK-026", "道路货物运输经营许可", "普通货运", "交通", "12", COM, 20, 5,
     "《中华人民共和国道路运输条例》第二十一条、第二十四条", "道路运输经营许可证",
     ["道路货物运输经营申请表", "负责人身份证明|c", "拟投入车辆承诺书", "聘用或拟聘用驾驶员的从业资格证|c",
      "安全生产管理制度文本"], None, {}),
    ("XK-027", "经营性道路客货运输驾驶员从业资格证核发", "", "交通", "12", UP, 20, 10,
     "《中华人民共和国道路运输条例》第九条、第二十二条;《道路运输从业人员管理规定》", "道路运输从业人员从业资格证",
     ["道路运输从业人员从业资格考试申请表", "居民身份证|c", "机动车驾驶证|c", "近3年内无重大以上交通责任事故记录证明"],
     "受理1 初审6 上报3 考试发证15~", {"authority": "赣州市交通运输局"}),
    ("XK-028", "公路超限运输许可", "", "交通", "12", COM, 5, 2,
     "《中华人民共和国公路法》第五十条;《公路安全保护条例》第三十五条;《超限运输车辆行驶公路管理规定》",
     "超限运输车辆通行证",
     ["公路超限运输申请表", "车辆行驶证|c", "驾驶人驾驶证|c", "货物证明或运输合同|?"],
     "受理0 审核1 决定1", {"online": True}),
    ("BA-003", "机动车维修经营备案", "", "交通", "12", IMM, None, 0,
     "", "备案回执",
     ["机动车维修经营备案表", "营业执照|c", "维修设备设施清单", "技术人员资格证明|c"],
     None, {"status": ItemStatus.DRAFT, "contact": ""}),
    ("XK-029", "出租汽车经营许可", "巡游出租汽车", "交通", "12", COM, 20, 15,
     "《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号)附件第112项;《巡游出租汽车经营服务管理规定》",
     "道路运输经营许可证(出租汽车)",
     ["巡游出租汽车经营申请表", "投资人、负责人身份证明|c", "拟投入车辆承诺书", "经营管理制度、安全生产管理制度和服务质量保障制度文本"],
     "受理1 审查8 现场核查4 审批决定2", {"status": ItemStatus.DRAFT}),
    # ---------------------------------------------------------------- 县民政局
    ("QR-006", "婚姻登记", "结婚登记", "民政", "13", IMM, None, 0,
     "《中华人民共和国民法典》第一千零四十九条;《婚姻登记条例》", "结婚证",
     ["双方居民身份证", "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
      "双方近期半身免冠合影照片|3"], None, {}),
    ("QR-007", "婚姻登记", "补领婚姻登记证", "民政", "13", IMM, None, 0,
     "《婚姻登记条例》", "结婚证或离婚证(补发)",
     ["居民身份证", "申请补领婚姻登记证声明书", "近期半身免冠照片|3"], None, {}),
    ("XK-030", "社会团体成立登记", "", "民政", "13", COM, 60, 30,
     "《社会团体登记管理条例》第三条、第十一条、第十二条", "社会团体法人登记证书",
     ["社会团体成立登记申请书", "业务主管单位的批准文件", "验资报告、场所使用权证明|c",
      "发起人和拟任负责人的基本情况、身份证明|c", "章程草案"],
     "受理2 审查20 公示5~ 准予登记8", {"visits": 2}),
    ("XK-031", "民办非企业单位成立登记", "社会服务机构", "民政", "13", COM, 60, 30,
     "《民办非企业单位登记管理暂行条例》第三条、第十一条", "民办非企业单位登记证书",
     ["成立登记申请书", "业务主管单位的批准文件", "场所使用权证明|c", "验资报告",
      "拟任负责人的基本情况、身份证明|c", "章程草案"], None, {"visits": 2}),
    ("JF-003", "最低生活保障审核确认", "城乡低保", "民政", "13", COM, 30, 20,
     "《社会救助暂行办法》第九条、第十一条;《最低生活保障审核确认办法》", "最低生活保障金",
     ["最低生活保障申请书", "家庭成员居民身份证、户口簿|c", "家庭经济状况核对授权书", "家庭收入和财产状况证明|c"],
     "受理1 入户调查10 公示7~ 审核确认9", {}),
    ("JF-004", "高龄津贴发放", "80周岁以上老年人", "民政", "13", COM, 20, 10,
     "《中华人民共和国老年人权益保障法》第三十三条", "高龄津贴",
     ["高龄津贴申请表", "老年人居民身份证|c", "本人银行账户信息|c"], None, {}),
    ("JF-005", "临时救助", "", "民政", "13", COM, 10, 5,
     "《社会救助暂行办法》第四十七条、第四十九条", "临时救助金",
     ["临时救助申请书", "居民身份证|c", "遭遇突发性、紧迫性、临时性生活困难的相关证明|c"], None, {}),
    # ---------------------------------------------------------------- 县不动产登记中心
    ("QR-008", "不动产首次登记", "国有建设用地使用权及房屋所有权", "不动产", "14", COM, 30, 5,
     "《中华人民共和国民法典》第二百零九条;《不动产登记暂行条例》第十四条、第二十条;《不动产登记暂行条例实施细则》",
     "不动产权证书",
     ["不动产登记申请书", "申请人身份证明|c", "不动产权属来源证明材料|c", "房屋竣工验收资料|c", "不动产测绘成果|e"],
     "受理1 审核2 公告15~ 登簿缮证2", {"fee": (REAL_ESTATE_FEE, REAL_ESTATE_FEE_BASIS)}),
    ("QR-009", "不动产转移登记", "房屋买卖", "不动产", "14", JOINT, 30, 3,
     "《不动产登记暂行条例》第十四条;《不动产登记暂行条例实施细则》第三十八条", "不动产权证书",
     ["不动产登记申请书", "买卖双方身份证明|c", "不动产权证书", "不动产买卖合同", "完税凭证(税务窗口一窗受理)|e"],
     "受理1 审核1 登簿缮证1", {"co": ["税务"], "fee": (REAL_ESTATE_FEE, REAL_ESTATE_FEE_BASIS)}),
    ("QR-010", "不动产抵押登记", "一般抵押权首次登记", "不动产", "14", COM, 30, 1,
     "《中华人民共和国民法典》第三百九十五条、第四百零二条;《不动产登记暂行条例实施细则》第六十五条", "不动产登记证明",
     ["不动产登记申请书", "申请人身份证明|c", "不动产权证书", "主债权合同和抵押合同"],
     "受理0 审核登簿1", {"fee": ("每件80元", REAL_ESTATE_FEE_BASIS), "online": True}),
    ("QR-011", "不动产变更登记", "姓名、名称或坐落变更", "不动产", "14", COM, 30, 3,
     "《不动产登记暂行条例实施细则》第二十六条", "不动产权证书",
     ["不动产登记申请书", "申请人身份证明|c", "不动产权证书", "变更事项的证明材料|c"], None, {}),
    ("QR-012", "不动产注销登记", "", "不动产", "14", IMM, None, 0,
     "《不动产登记暂行条例实施细则》第二十八条", "注销登记结果",
     ["不动产登记申请书", "申请人身份证明|c", "不动产权证书或登记证明", "不动产灭失等证明材料|c"], None, {}),
    ("GG-007", "不动产登记资料查询", "", "不动产", "15", IMM, None, 0,
     "《不动产登记暂行条例》第二十七条;《不动产登记资料查询暂行办法》第四条", "不动产登记资料查询结果证明",
     ["不动产登记资料查询申请书", "查询人身份证明|c", "利害关系证明材料(利害关系人查询时)|?"], None, {}),
    # ---------------------------------------------------------------- 县住房公积金管理中心
    ("GG-008", "住房公积金提取", "购买自住住房提取", "公积金", "16", COM, 3, 1,
     "《住房公积金管理条例》第二十四条、第二十五条", "提取审批结果",
     ["住房公积金提取申请表", "居民身份证|c", "购房合同及购房发票|c", "本人银行账户|c"],
     "受理0 审核1 划款0", {"online": True}),
    ("GG-009", "住房公积金提取", "离休、退休提取", "公积金", "16", IMM, None, 0,
     "《住房公积金管理条例》第二十四条", "提取审批结果",
     ["住房公积金提取申请表", "居民身份证|c", "退休证明|c"], None, {"online": True}),
    ("GG-010", "住房公积金个人住房贷款", "新建商品房", "公积金", "16", COM, 15, 10,
     "《住房公积金管理条例》第二十六条", "贷款审批结果",
     ["住房公积金个人住房贷款申请表", "借款人及配偶居民身份证、户口簿、婚姻状况证明|c", "购房合同|c", "首付款凭证|c",
      "收入证明"],
     "受理1 贷款审核5 审批3 签订合同1", {}),
    ("QR-013", "住房公积金单位缴存登记", "", "公积金", "16", IMM, None, 0,
     "《住房公积金管理条例》第十四条、第十五条", "缴存登记",
     ["住房公积金单位缴存登记表", "营业执照或批准成立证件|c", "经办人居民身份证|c"], None, {"online": True}),
    # ---------------------------------------------------------------- 县医疗保障局
    ("QR-014", "城乡居民基本医疗保险参保登记", "", "医保", "17", IMM, None, 0,
     "《中华人民共和国社会保险法》第二十五条", "参保登记",
     ["城乡居民基本医疗保险参保登记表", "居民身份证或户口簿|c"], None, {"online": True}),
    ("GG-011", "异地就医备案", "跨省异地就医直接结算", "医保", "17", IMM, None, 0,
     "《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》(医保发〔2022〕22号)", "备案回执",
     ["跨省异地就医登记备案表", "社会保障卡或医保电子凭证|e"], None, {"online": True, "visits": 0}),
    ("JF-006", "医疗费用零星报销", "手工报销", "医保", "17", COM, 30, 20,
     "《中华人民共和国社会保险法》第二十八条、第二十九条", "医疗费用报销结算结果",
     ["医疗费用报销申请表", "医疗费用原始票据", "费用明细清单", "出院记录或门诊病历|c", "社会保障卡|c"],
     "受理1 审核12 复核5 拨付2", {}),
    ("QR-015", "门诊慢特病待遇认定", "", "医保", "17", COM, None, 10,
     "", "门诊慢特病待遇认定结果",
     ["门诊慢特病待遇认定申请表", "二级以上医疗机构诊断证明及相关检查报告|c", "社会保障卡|c"],
     None, {"status": ItemStatus.DRAFT}),
    ("JF-007", "生育保险待遇核定", "生育津贴", "医保", "17", COM, 20, 10,
     "《中华人民共和国社会保险法》第五十四条、第五十六条", "生育津贴",
     ["生育保险待遇申请表", "出生医学证明|c", "居民身份证|c", "住院病历|c"], None, {}),
]  # fmt: skip

# 受理条件 by item type, where the row does not give its own.
CONDITIONS = {
    ItemType.LICENSING: "申请人符合{basis}规定的条件;申请材料齐全、符合法定形式。",
    ItemType.CONFIRMATION: "申请人为依法享有相关权利的公民、法人或其他组织;申请材料齐全、真实。",
    ItemType.BENEFIT: "申请人符合{basis}规定的享受待遇的条件;申请材料齐全、真实。",
    ItemType.RULING: "争议当事人在法定期限内提出申请,有明确的请求事项和事实、理由。",
    ItemType.REWARD: "符合{basis}规定的奖励条件。",
    ItemType.FILING: "已依法取得营业执照或相关主体资格,备案材料齐全。",
    ItemType.OTHER_POWER: "纳税人、缴费人依法办理相关涉税事项。",
    ItemType.PUBLIC_SERVICE: "符合{basis}规定的办理条件;申请材料齐全、真实。",
}

FORM_FLAGS = {"c": MaterialForm.COPY, "b": MaterialForm.BOTH, "e": MaterialForm.ELECTRONIC}
STEP_PATTERN = re.compile(r"^(?P<name>\D+?)(?P<days>\d+)(?P<uncounted>~?)$")


def item_code(short: str) -> str:
    return f"{REGION}-{short}"


def _material_source(name: str, form: str) -> str:
    if form == MaterialForm.ELECTRONIC and "采集" in name:
        return "窗口现场采集"
    if any(word in name for word in ("申请书", "申请表", "登记表", "备案表", "申报表", "申报单", "信息表", "注册书", "登记书", "声明")):
        return "窗口领取或网上下载"
    if "身份证" in name or "户口簿" in name:
        return "公安机关核发"
    if "营业执照" in name:
        return "市场监督管理部门核发"
    if any(word in name for word in ("证明", "证书", "批准", "许可证", "合格", "报告")):
        return "相关部门或机构出具"
    return "申请人自备"


def _materials(specs):
    rows = []
    for order, spec in enumerate(specs, start=1):
        name, _, flags = spec.partition("|")
        form = next((FORM_FLAGS[flag] for flag in flags if flag in FORM_FLAGS), MaterialForm.ORIGINAL)
        copies = int(next((flag for flag in flags if flag.isdigit()), "1"))
        required = "?" not in flags
        note = "" if required else "视情形提供"
        if form == MaterialForm.COPY:
            note = (note + ";" if note else "") + "核验原件后退还"
        rows.append(
            {"order": order, "name": name, "form": form, "copies": copies, "required": required,
             "source": _material_source(name, form), "note": note}
        )  # fmt: skip
    return rows


def _default_steps(mode, committed):
    if mode == IMM:
        return "受理0 审核办结0"
    if committed <= 1:
        return f"受理0 审核{committed} 办结0"
    if committed == 2:
        return "受理1 审核决定1"
    if mode == JOINT:
        return f"受理1 联合审查{committed - 2} 办结1"
    return f"受理1 审查{committed - 2} 决定1"


def _steps(spec):
    rows = []
    for order, token in enumerate(spec.split(), start=1):
        match = STEP_PATTERN.match(token)
        if match is None:
            raise ValueError(f"演示目录的办理环节写法有误:「{token}」")
        rows.append(
            {"order": order, "name": match["name"], "limit_days": int(match["days"]),
             "counts_towards_limit": not match["uncounted"]}
        )  # fmt: skip
    return rows


def window_clerks() -> dict[str, str]:
    """Window number → badge number of its first window clerk (its window head where it has no clerk)."""
    at_window = {}
    for badge_no, _name, _department, window, position, *_rest in staffing_demo.STAFF:
        if window:
            at_window.setdefault(window, []).append((position, badge_no))
    return {
        window: next((badge for position, badge in people if position == "窗口工作人员"), people[0][1])
        for window, people in at_window.items()
    }


def catalog_rows():
    """The catalog as three lists of dicts (items, materials, steps), keyed by model field names."""
    phones = {name: phone for name, _kind, phone, _leader in staffing_demo.DEPARTMENTS}
    locations = {number: location for number, _name, _department, location in staffing_demo.WINDOWS}
    names = {badge_no: name for badge_no, name, *_rest in staffing_demo.STAFF}
    contacts = {window: names[badge_no] for window, badge_no in window_clerks().items()}
    items, materials, steps = [], [], []
    for row in ITEMS:
        code, name, sub_name, department, window, mode, statutory, committed, basis, result, mats, step_spec, extra = row
        department_name = DEPARTMENTS[department]
        item_type = TYPE_CODES[code.split("-")[0]]
        step_rows = _steps(step_spec or _default_steps(mode, committed))
        fee_standard, fee_basis = extra.get("fee", ("", ""))
        conditions = extra.get("conditions") or CONDITIONS[item_type].format(basis=basis.split(";")[0] or "有关法律法规")
        full_code = item_code(code)
        items.append(
            {
                "code": full_code,
                "name": name,
                "sub_name": sub_name,
                "item_type": item_type,
                "department": department_name,
                "window": window,
                "handling_mode": mode,
                "statutory_limit_days": statutory,
                "committed_limit_days": committed,
                "legal_basis": basis,
                "conditions": conditions,
                "charges_fee": bool(fee_standard),
                "fee_standard": fee_standard,
                "fee_basis": fee_basis,
                "procedure": "→".join(step["name"] for step in step_rows) + (",材料齐全的当场办结" if mode == IMM else ""),
                "result_name": result,
                "location": f"大余县行政服务中心{locations[window]}{window}号窗口",
                "office_hours": OFFICE_HOURS,
                "contact": extra.get("contact", contacts.get(window, "")),
                "phone": phones[department_name],
                "complaint_phone": "",  # the center's complaint phone (CenterSettings) serves
                "visits": extra.get("visits", 1),
                "online": extra.get("online", False),
                "is_major": extra.get("major", False),
                "co_departments": "、".join(DEPARTMENTS[short] for short in extra.get("co", [])),
                "report_authority": extra.get("authority", ""),
            }
        )
        materials += [{"item_code": full_code, **row} for row in _materials(mats)]
        steps += [{"item_code": full_code, **row} for row in step_rows]
    return items, materials, steps


def intended_status(code: str) -> str:
    """The status an item of the demo catalog is given when it is first loaded."""
    for short, *_rest, extra in ITEMS:
        if item_code(short) == code:
            return extra.get("status", ItemStatus.ACTIVE)
    raise KeyError(code)


def _cell(column, value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if column.choices and value is not None:
        return column.labels.get(value, value)
    return value if value != "" else None


def catalog_workbook() -> io.BytesIO:
    """The demo catalog as the three-sheet workbook of `registry.workbook` (without 状态 and 办理场所 columns)."""
    rows = dict(zip(workbook.SHEETS, catalog_rows(), strict=True))
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_name, columns in workbook.SHEETS.items():
        if sheet_name == workbook.ITEM_SHEET:
            # Without 状态 and 办理场所: a second load keeps what the admin (and halls.demo) set there.
            columns = [column for column in columns if column.attr not in ("status", "halls")]
        sheet = book.create_sheet(sheet_name)
        sheet.append([column.header for column in columns])
        for row in rows[sheet_name]:
            sheet.append([_cell(column, row[column.attr]) for column in columns])
    source = io.BytesIO()
    book.save(source)
    source.seek(0)
    return source


def _catalog_user():
    """The demo center administrator, who imports the catalog; None before the demo logins exist."""
    username = next(name for role, name, _badge in staffing_demo.DEMO_ACCOUNTS if role == roles.CENTER_ADMIN)
    return get_user_model().objects.filter(username=username).first()


def load_demo_catalog(stdout=None, user=None) -> dict:
    """Import the demo catalog and publish what this run created; returns the counts.

    The departments and windows of `staffing.demo` must exist. Raises ValidationError (with the
    import's own messages) when the workbook does not import.
    """
    user = user or _catalog_user()
    with transaction.atomic():
        plan = workbook.catalog_import(catalog_workbook(), file_name=FILE_NAME, user=user)
        if not plan.ok:
            raise ValidationError([f"演示事项目录无法导入:{plan.summary}"] + [str(error) for error in plan.errors])
        published = suspended = 0
        for entry in plan.new_items:
            status = intended_status(entry.item.code)
            if status == ItemStatus.DRAFT:
                continue
            item = ServiceItem.objects.get(pk=entry.item.pk)
            item._change_reason = PUBLISH_REASON if status == ItemStatus.ACTIVE else SUSPEND_REASON
            services.item_set_status(item=item, status=status, user=user)
            if status == ItemStatus.ACTIVE:
                published += 1
            else:
                suspended += 1
    counts = {
        "new": len(plan.new_items),
        "updated": len(plan.changed_items),
        "unchanged": plan.unchanged_count,
        "published": published,
        "suspended": suspended,
    }
    if stdout is not None:
        stdout.write(
            f"演示事项目录:新增 {counts['new']} 个,更新 {counts['updated']} 个,未变 {counts['unchanged']} 个;"
            f"本次发布(在用){published} 个,暂停 {suspended} 个。"
        )
    return counts


RECHECK_FILE_NAME = "大余县政务服务事项目录(2026年12月核对).xlsx"


def load_demo_background_import(stdout=None):
    """The administrator's 我的后台任务: the demo catalog uploaded again to check it, run as a
    background job (here and now, as the worker would) — every row read and checked, nothing changed."""
    from django.core.files.storage import default_storage

    from staffing.background import job_create, job_run
    from staffing.models import BackgroundJob, JobKind

    from .admin_import import UPLOAD_DIR
    from .tasks import import_catalog_job

    user = _catalog_user()
    if user is None or BackgroundJob.objects.filter(user=user, file_name=RECHECK_FILE_NAME).exists():
        return
    path = default_storage.save(f"{UPLOAD_DIR}/demo-recheck.xlsx", catalog_workbook())
    with default_storage.open(path, "rb") as source:
        plan = workbook.catalog_plan(source, file_name=RECHECK_FILE_NAME)
    job = job_create(
        kind=JobKind.CATALOG_IMPORT, user=user, file_name=RECHECK_FILE_NAME, total=plan.rows_read, params={"path": path}
    )
    result = job_run(job.pk, import_catalog_job)
    if stdout is not None:
        stdout.write(f"后台任务:管理员核对事项目录「{RECHECK_FILE_NAME}」,{result['summary']}(见「我的后台任务」)。")
