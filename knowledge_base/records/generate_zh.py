"""Chinese vocabularies for generate.py: the Chinese counterpart of each English list or dict there.

Every dict is keyed by the English item it translates (organisation, city, occupation, topic, ...), so the generator
derives each Chinese text from the same random choices as the English one, without calling the random generator.
All organisation and person names are FICTIONAL, like their English originals. Lists in Chinese cells are joined
with LIST_SEP_ZH. Standard library only (nothing is imported).
"""

from __future__ import annotations

LIST_SEP_ZH = "；"

# AREA_CODES / REGIONS
CITIES_ZH = {
    "Nanjing": "南京",
    "Wuxi": "无锡",
    "Zhenjiang": "镇江",
    "Suzhou": "苏州",
    "Nantong": "南通",
    "Yangzhou": "扬州",
    "Lianyungang": "连云港",
    "Changzhou": "常州",
    "Taizhou": "泰州",
}

# FIELDS (the `field` column stays English; these are the standard Chinese terms the texts below use)
FIELDS_ZH = {
    "shipbuilding": "船舶制造",
    "port machinery": "港口机械",
    "shipping": "航运",
    "marine engineering": "海洋工程",
    "new energy": "新能源",
    "intelligent manufacturing": "智能制造",
    "electrical automation": "电气自动化",
    "information technology": "信息技术",
    "big data": "大数据",
    "artificial intelligence": "人工智能",
    "logistics": "物流",
    "cruise tourism": "邮轮旅游",
}

# MAJORS (names of higher vocational programmes)
MAJORS_ZH = {
    "ship engineering technology": "船舶工程技术",
    "port machinery and intelligent control": "港口机械与智能控制",
    "international shipping management": "国际航运业务管理",
    "marine engineering technology": "轮机工程技术",
    "new energy equipment technology": "新能源装备技术",
    "intelligent manufacturing equipment technology": "智能制造装备技术",
    "electrical automation technology": "电气自动化技术",
    "software technology": "软件技术",
    "big data technology": "大数据技术",
    "artificial intelligence technology application": "人工智能技术应用",
    "modern logistics management": "现代物流管理",
    "cruise service and management": "邮轮服务与管理",
}

# OCCUPATIONS: occupation -> Chinese trade name
OCCUPATIONS_ZH = {
    "ship welder": "船舶电焊工",
    "hull assembler": "船体装配工",
    "ship pipe fitter": "船舶管系工",
    "ship coating inspector": "船舶涂装检验员",
    "port crane operator": "港口起重机司机",
    "port machinery maintenance electrician": "港口机械维修电工",
    "quayside crane mechanic": "岸桥机械维修工",
    "able seafarer": "值班水手",
    "shipping agency clerk": "船舶代理业务员",
    "marine cargo tally clerk": "外轮理货员",
    "marine engine fitter": "船舶轮机装配工",
    "marine electrician": "船舶电工",
    "offshore platform installer": "海洋平台安装工",
    "wind turbine technician": "风电机组检修工",
    "battery production technician": "动力电池生产技术员",
    "PV installation technician": "光伏系统安装员",
    "CNC machinist": "数控机床操作工",
    "industrial robot operator": "工业机器人系统操作员",
    "mechatronics maintenance technician": "机电设备维修工",
    "PLC programmer": "PLC编程员",
    "maintenance electrician": "维修电工",
    "electrical control cabinet assembler": "电气控制柜装配工",
    "software tester": "软件测试员",
    "network security technician": "网络安全技术员",
    "front-end developer": "前端开发员",
    "data annotation engineer": "数据标注员",
    "big data operations technician": "大数据运维技术员",
    "data analysis assistant": "数据分析助理",
    "AI trainer": "人工智能训练师",
    "machine vision technician": "机器视觉技术员",
    "AI application tester": "人工智能应用测试员",
    "logistics coordinator": "物流调度员",
    "warehouse management specialist": "仓储管理员",
    "cold-chain logistics clerk": "冷链物流员",
    "cruise steward": "邮轮客舱服务员",
    "cruise front desk agent": "邮轮前台接待员",
    "cruise tour guide": "邮轮导游",
}

# OCCUPATIONS: activity noun used in titles and requirements -> Chinese
ACTIVITIES_ZH = {
    "ship welding": "船舶焊接",
    "hull block assembly": "船体分段装配",
    "ship pipe fitting": "船舶管系安装",
    "ship coating inspection": "船舶涂装检验",
    "port crane operation": "港口起重机操作",
    "port machinery electrical maintenance": "港口机械电气维修",
    "quayside crane maintenance": "岸桥维护保养",
    "deck operations": "甲板作业",
    "shipping agency operations": "船舶代理业务",
    "cargo tallying": "理货作业",
    "marine engine fitting": "船舶主机装配",
    "marine electrical installation": "船舶电气安装",
    "offshore platform installation": "海洋平台安装",
    "wind turbine maintenance": "风电机组运维",
    "battery cell production": "电芯生产",
    "PV system installation": "光伏系统安装",
    "CNC machining": "数控加工",
    "industrial robot operation": "工业机器人操作",
    "production line maintenance": "生产线维护",
    "PLC programming": "PLC编程",
    "electrical maintenance": "电气维修",
    "control cabinet assembly": "控制柜装配",
    "software testing": "软件测试",
    "network security operations": "网络安全运维",
    "front-end development": "前端开发",
    "data annotation": "数据标注",
    "big data platform operations": "大数据平台运维",
    "business data analysis": "商务数据分析",
    "AI model training support": "人工智能模型训练",
    "machine vision deployment": "机器视觉部署",
    "AI application testing": "人工智能应用测试",
    "logistics coordination": "物流调度",
    "warehouse management": "仓储管理",
    "cold-chain logistics": "冷链物流",
    "cruise cabin service": "邮轮客舱服务",
    "cruise front desk service": "邮轮前台服务",
    "shore excursion guiding": "岸上观光导游",
}

# LEVEL_FACTOR keys: national vocational skill levels
LEVELS_ZH = {"intermediate": "中级工", "senior": "高级工", "technician": "技师"}

# ENTERPRISES: English full name -> (registered Chinese name, short name used in titles and texts)
ENTERPRISES_ZH = {
    "Haixing Shipbuilding Co., Ltd.": ("海星船舶重工有限公司", "海星船舶"),
    "Tonghai Marine Engineering Equipment Co., Ltd.": ("通海海洋工程装备有限公司", "通海海工"),
    "Jiangfeng Offshore Wind Power Co., Ltd.": ("江丰海上风电有限公司", "江丰海上风电"),
    "Lianyun Ocean Shipping Co., Ltd.": ("连云远洋运输有限公司", "连云远洋"),
    "Huanjiang Shipyard (Taizhou) Co., Ltd.": ("环江造船（泰州）有限公司", "环江船厂"),
    "Taixin Ship Welding Engineering Co., Ltd.": ("泰鑫船舶焊接工程有限公司", "泰鑫船焊"),
    "Xinchuan Marine Power Co., Ltd.": ("新川船舶动力有限公司", "新川动力"),
    "Jinggang Port Machinery Group": ("劲港港口机械集团", "劲港港机"),
    "Xuyun Container Terminal Co., Ltd.": ("旭运集装箱码头有限公司", "旭运码头"),
    "Gangtong International Logistics Co., Ltd.": ("港通国际物流有限公司", "港通物流"),
    "Haiyue Cruise Terminal Services Co., Ltd.": ("海悦邮轮码头服务有限公司", "海悦邮轮码头"),
    "Runzhou Crane Works Co., Ltd.": ("润州起重机械有限公司", "润州起重"),
    "Lanfeng Wind Power Equipment Co.": ("蓝峰风电设备有限公司", "蓝峰风电"),
    "Huike Electric Automation Co., Ltd.": ("汇科电气自动化有限公司", "汇科电气"),
    "Yunzhi Robotics (Changzhou) Co.": ("云智机器人（常州）有限公司", "云智机器人"),
    "Longcheng Power Battery Co., Ltd.": ("龙城动力电池有限公司", "龙城动力电池"),
    "Jingrui Precision Machinery (Changzhou) Co.": ("精瑞精密机械（常州）有限公司", "精瑞精密"),
    "Guangyao Photovoltaic Technology Co., Ltd.": ("光耀光伏科技有限公司", "光耀光伏"),
    "Hongtu Software (Wuxi) Co., Ltd.": ("宏图软件（无锡）有限公司", "宏图软件"),
    "Shuyun Data Technology Co., Ltd.": ("数云数据科技有限公司", "数云数据"),
    "Xiyi Intelligent Equipment Co., Ltd.": ("锡仪智能装备有限公司", "锡仪智能装备"),
    "Zhixin AI Technology (Suzhou) Co., Ltd.": ("智芯人工智能科技（苏州）有限公司", "智芯人工智能"),
    "Hengrun Cybersecurity Technology (Suzhou) Co.": ("恒润网络安全技术（苏州）有限公司", "恒润网安"),
    "Suxin Industrial Robot Co., Ltd.": ("苏鑫工业机器人有限公司", "苏鑫工业机器人"),
    "Sutong Supply Chain Management Co., Ltd.": ("苏通供应链管理有限公司", "苏通供应链"),
    "Jinchuan Software Technology (Nanjing) Co.": ("锦川软件技术（南京）有限公司", "锦川软件"),
    "Lingyun Vision AI Co., Ltd.": ("凌云视觉智能有限公司", "凌云视觉"),
    "Yuefan Shipping Agency Co., Ltd.": ("悦帆船务代理有限公司", "悦帆船代"),
    "Jiangyue River Cruise Co., Ltd.": ("江悦游轮有限公司", "江悦游轮"),
    "Weiyang Canal Cruise Tourism Co., Ltd.": ("维扬运河游轮旅游有限公司", "维扬运河游轮"),
    "Guanghai Marine Engineering Co., Ltd.": ("广海海洋工程有限公司", "广海海工"),
    "Hanjiang Solar Energy Co., Ltd.": ("瀚江太阳能有限公司", "瀚江太阳能"),
}

# SCHOOLS: English full name -> (Chinese name, short name)
SCHOOLS_ZH = {
    "Jiangsu Haiyun Vocational College": ("江苏海韵职业学院", "海韵职院"),
    "Nantong Binjiang Shipping Technical College": ("南通滨江航运职业技术学院", "滨江航运学院"),
    "Changzhou Intelligent Manufacturing Polytechnic": ("常州智能制造职业技术学院", "常州智造职院"),
    "Lianyungang Gangcheng Port Vocational College": ("连云港港城港务职业学院", "港城港务学院"),
    "Wuxi Xinhu Information Technology Polytechnic": ("无锡新湖信息技术职业学院", "新湖信息职院"),
    "Suzhou Qinghe Digital Technology Vocational College": ("苏州清河数字技术职业学院", "清河数字学院"),
    "Nanjing Huaying Electrical Polytechnic": ("南京华英电气职业技术学院", "华英电气职院"),
    "Taizhou Jiangyuan Marine Engineering Vocational College": ("泰州江源海洋工程职业学院", "江源海工学院"),
    "Yangzhou Yunhe Cruise and Tourism Vocational College": ("扬州运河邮轮旅游职业学院", "运河邮轮学院"),
    "Zhenjiang Ruishan New Energy Technical College": ("镇江瑞山新能源职业技术学院", "瑞山新能源学院"),
}

# Organisations of the EXPERTS that are neither an enterprise nor a school above.
OTHER_ORGANISATIONS_ZH = {
    "Nantong Jinqiao Skills Development Service Centre": "南通金桥技能发展服务中心",
    "Jiangsu Mingheng Law Firm": "江苏明衡律师事务所",
    "Sutong Technology Transfer Centre": "苏通技术转移中心",
    "Huixin Intellectual Property Agency": "汇信知识产权代理事务所",
    "Ruida Tax Advisory Co., Ltd.": "瑞达税务咨询有限公司",
    "Jiangsu Chanrong Enterprise Service Centre": "江苏产融企业服务中心",
}

# Every organisation's full Chinese name, one per English name, used wherever the organisation appears.
ORGANISATIONS_ZH = {
    **{en: zh for en, (zh, _) in ENTERPRISES_ZH.items()},
    **{en: zh for en, (zh, _) in SCHOOLS_ZH.items()},
    **OTHER_ORGANISATIONS_ZH,
}
# Short names, keyed by the English FULL name (the English short names are not unique keys across lists).
SHORT_NAMES_ZH = {
    **{en: short for en, (_, short) in ENTERPRISES_ZH.items()},
    **{en: short for en, (_, short) in SCHOOLS_ZH.items()},
}

# FACILITY_DATA: per field, the Chinese name stems (used as in the English: "{city}{base}生产性实训基地",
# "{rd}工程研究中心", lab and innovation centre names complete) and the equipment, English -> Chinese.
FACILITY_DATA_ZH = {
    "shipbuilding": {
        "base": "船舶焊接与船体装配",
        "rd": "绿色船舶建造技术",
        "lab": "焊接质量检测实验室",
        "inno": "智能船厂创新中心",
        "equipment": {
            "6-axis welding robots": "6轴焊接机器人",
            "virtual welding trainers": "虚拟焊接实训系统",
            "hull block assembly jig": "船体分段装配胎架",
            "ultrasonic flaw detectors": "超声波探伤仪",
            "CO2 gas-shielded welding stations": "CO2气体保护焊工位",
        },
    },
    "port machinery": {
        "base": "港口机械操作与维护",
        "rd": "港口起重机智能控制",
        "lab": "港口机械状态监测实验室",
        "inno": "自动化码头数字孪生创新中心",
        "equipment": {
            "quayside container crane simulator": "岸边集装箱起重机模拟器",
            "rubber-tyred gantry crane trainer": "轮胎式集装箱门式起重机实训装置",
            "crane PLC control training rigs": "起重机PLC控制实训台",
            "vibration analysis kit": "振动分析仪套件",
            "reach stacker": "集装箱正面吊",
        },
    },
    "shipping": {
        "base": "船员实操",
        "rd": "智慧航运运营",
        "lab": "船舶驾驶模拟实验室",
        "inno": "航运数字化创新中心",
        "equipment": {
            "full-mission ship handling simulator": "全任务船舶操纵模拟器",
            "GMDSS radio simulator": "GMDSS无线电通信模拟器",
            "ECDIS workstations": "ECDIS电子海图工作站",
            "lifeboat and survival craft drill area": "救生艇筏演练区",
            "cargo loading simulator": "货物配载模拟器",
        },
    },
    "marine engineering": {
        "base": "船舶机舱实操",
        "rd": "船舶动力系统",
        "lab": "船用柴油机性能实验室",
        "inno": "海洋工程装备创新中心",
        "equipment": {
            "full-mission engine room simulator": "全任务轮机模拟器",
            "marine diesel engine test bench": "船用柴油机试验台",
            "marine electrical switchboard trainer": "船舶配电板实训装置",
            "shafting alignment rig": "轴系校中实训台",
            "marine boiler trainer": "船用锅炉实训装置",
        },
    },
    "new energy": {
        "base": "风电与储能",
        "rd": "海上风电运维",
        "lab": "电池安全检测实验室",
        "inno": "新能源装备创新中心",
        "equipment": {
            "wind turbine nacelle trainer": "风电机组机舱实训装置",
            "working-at-height training tower": "高处作业实训塔",
            "battery charge-discharge testers": "电池充放电测试仪",
            "PV micro-grid training system": "光伏微电网实训系统",
            "thermal runaway test chamber": "热失控试验箱",
        },
    },
    "intelligent manufacturing": {
        "base": "智能制造生产线",
        "rd": "数字孪生产线",
        "lab": "精密测量实验室",
        "inno": "工业机器人应用创新中心",
        "equipment": {
            "5-axis CNC machining centres": "5轴数控加工中心",
            "industrial robot workstations": "工业机器人工作站",
            "coordinate measuring machine": "三坐标测量机",
            "flexible manufacturing line": "柔性制造生产线",
            "MES training system": "MES实训系统",
        },
    },
    "electrical automation": {
        "base": "电气自动化",
        "rd": "工业控制与驱动技术",
        "lab": "PLC与工业网络实验室",
        "inno": "智能工厂控制创新中心",
        "equipment": {
            "PLC training rigs": "PLC实训台",
            "servo drive trainers": "伺服驱动实训装置",
            "industrial Ethernet test bench": "工业以太网测试台",
            "low-voltage switchgear trainer": "低压开关柜实训装置",
            "HMI/SCADA workstations": "HMI/SCADA工作站",
        },
    },
    "information technology": {
        "base": "软件开发与测试",
        "rd": "工业软件",
        "lab": "网络安全攻防实验室",
        "inno": "开源软件创新中心",
        "equipment": {
            "cyber range platform": "网络靶场平台",
            "automated testing toolchain": "自动化测试工具链",
            "private cloud cluster": "私有云集群",
            "network security appliances": "网络安全设备",
            "mobile device test farm": "移动终端测试平台",
        },
    },
    "big data": {
        "base": "大数据与数据标注",
        "rd": "工业大数据分析",
        "lab": "数据治理实验室",
        "inno": "数据服务创新中心",
        "equipment": {
            "Hadoop/Spark training cluster": "Hadoop/Spark实训集群",
            "data annotation workstations": "数据标注工作站",
            "GPU server": "GPU服务器",
            "data visualisation wall": "数据可视化大屏",
            "data security sandbox": "数据安全沙箱",
        },
    },
    "artificial intelligence": {
        "base": "人工智能应用",
        "rd": "制造业机器视觉",
        "lab": "计算机视觉实验室",
        "inno": "工业人工智能创新中心",
        "equipment": {
            "GPU training servers": "GPU训练服务器",
            "machine vision inspection stations": "机器视觉检测工位",
            "edge AI development kits": "边缘AI开发套件",
            "collaborative robots with vision": "视觉协作机器人",
            "speech data collection booth": "语音数据采集室",
        },
    },
    "logistics": {
        "base": "智慧物流",
        "rd": "港口物流优化",
        "lab": "冷链物流实验室",
        "inno": "供应链数字化创新中心",
        "equipment": {
            "automated storage and retrieval system": "自动化立体仓库",
            "warehouse management system": "仓储管理系统",
            "AGV fleet": "AGV搬运机器人集群",
            "cold-storage training room": "冷库实训室",
            "RFID sorting line": "RFID分拣线",
        },
    },
    "cruise tourism": {
        "base": "邮轮服务",
        "rd": "邮轮旅游服务设计",
        "lab": "酒店服务模拟实验室",
        "inno": "江海邮轮旅游创新中心",
        "equipment": {
            "mock cruise cabins": "模拟邮轮客舱",
            "cruise front desk simulation system": "邮轮前台模拟系统",
            "bar and restaurant training room": "酒吧餐厅实训室",
            "VR cruise safety drill system": "VR邮轮安全演练系统",
            "multilingual guiding studio": "多语种导游实训室",
        },
    },
}

# PATENT_TITLES: English title -> Chinese title in CNIPA style (method and device patents start with 一种)
PATENT_TITLES_ZH = {
    "Seam tracking method for ship block welding robots": "一种船舶分段焊接机器人焊缝跟踪方法",
    "Portable fixture for aligning hull butt joints": "一种便携式船体对接缝对准工装",
    "Anti-sway control method for quayside container cranes": "一种岸边集装箱起重机防摇控制方法",
    "Wire rope wear detection device for gantry cranes": "一种门式起重机钢丝绳磨损检测装置",
    "Berth scheduling method for inland container ships": "一种内河集装箱船舶泊位调度方法",
    "Fault diagnosis method for marine diesel engine fuel injection": "一种船用柴油机燃油喷射故障诊断方法",
    "Vibration-damping mount for marine auxiliary engines": "一种船用辅机减振座",
    "Blade icing detection method for offshore wind turbines": "一种海上风电机组叶片结冰检测方法",
    "Battery module thermal runaway early-warning device": "一种电池模组热失控预警装置",
    "Cleaning robot for rooftop photovoltaic panels": "一种屋顶光伏板清洁机器人",
    "Tool wear prediction method for CNC machining centres": "一种数控加工中心刀具磨损预测方法",
    "Quick-change gripper for industrial robot workstations": "一种工业机器人工作站快换夹爪",
    "PLC-based energy-saving control system for conveyor lines": "一种基于PLC的输送线节能控制系统",
    "Teaching training cabinet for electrical control circuits": "电气控制线路教学实训柜",
    "Automated regression test case generation method for web applications": "一种Web应用自动化回归测试用例生成方法",
    "Quality checking method for crowd-sourced image annotation": "一种众包图像标注质量检验方法",
    "Weld surface defect detection method based on deep learning": "一种基于深度学习的焊缝表面缺陷检测方法",
    "Handheld machine vision inspection terminal": "手持式机器视觉检测终端",
    "Slotting optimisation method for automated cold-chain warehouses": "一种自动化冷链仓库储位优化方法",
    "Cabin service robot for river cruise ships": "一种内河游轮客舱服务机器人",
}

# PATENT_TYPE_DIGIT keys
PATENT_TYPES_ZH = {"invention": "发明专利", "utility_model": "实用新型专利", "design": "外观设计专利"}

# deal modes of patents
DEAL_MODES_ZH = {"assignment": "转让", "licence": "许可", "open licence": "开放许可", "equity": "作价入股"}

# SERVICES
SERVICES_ZH = {
    "practice teaching": "实践教学",
    "social training": "社会培训",
    "real production": "真实生产",
    "technical service": "技术服务",
    "equipment sharing": "设备共享",
    "testing and certification": "检验检测认证",
    "joint R&D": "联合研发",
}

# EXPERTS: English name -> (Chinese name with title, Chinese job title)
EXPERTS_ZH = {
    "Prof. Zhou Min": ("周敏教授", "职业教育学教授"),
    "Ms. Wang Fang": ("王芳女士", "高级人力资源顾问"),
    "Dr. Liu Yang": ("刘洋博士", "实习管理处处长"),
    "Mr. Sun Jie": ("孙杰先生", "劳动法业务部合伙人"),
    "Prof. Xu Lei": ("徐磊教授", "技术管理教授"),
    "Dr. Ma Lin": ("马林博士", "专利代理师"),
    "Ms. Zhao Qian": ("赵倩女士", "高级税务顾问"),
    "Mr. Huang Wei": ("黄伟先生", "政策专员"),
    "Prof. Chen Gang": ("陈刚教授", "港口机械工程教授"),
    "Eng. Chen Hao": ("陈浩工程师", "首席焊接工程师"),
    "Eng. Zhu Tao": ("朱涛工程师", "舾装部高级工程师"),
    "Assoc. Prof. Lin Jing": ("林静副教授", "轮机工程副教授"),
    "Capt. Gao Feng": ("高峰船长", "船队培训经理"),
    "Dr. He Xin": ("何欣博士", "风电工程讲师"),
    "Eng. Guo Peng": ("郭鹏工程师", "生产工程部经理"),
    "Prof. Luo Hui": ("罗辉教授", "智能制造教授"),
    "Eng. Yang Bo": ("杨波工程师", "应用工程负责人"),
    "Assoc. Prof. Zheng Li": ("郑丽副教授", "电气自动化副教授"),
    "Dr. Feng Yu": ("冯宇博士", "软件技术专业带头人"),
    "Eng. Tang Yi": ("唐毅工程师", "安全运营总监"),
    "Dr. Song Yue": ("宋悦博士", "大数据技术讲师"),
    "Eng. Han Mei": ("韩梅工程师", "人工智能产品经理"),
    "Mr. Xie Qiang": ("谢强先生", "运营总监"),
    "Ms. Dong Xue": ("董雪女士", "邮轮服务专业带头人"),
    "Dr. Cao Rui": ("曹瑞博士", "航运管理讲师"),
}

# EXPERTS topics: one Chinese term per English topic, shared by every expert who lists it
TOPICS_ZH = {
    # apprenticeship policy
    "modern apprenticeship agreements": "现代学徒制协议",
    "double-tutor arrangements": "双导师制安排",
    "enterprise new apprenticeship subsidies": "企业新型学徒制补贴",
    "apprentice assessment and certification": "学徒考核与技能等级认定",
    "apprenticeship training plan filing": "学徒培训计划备案",
    "labour contracts for apprentices": "学徒劳动合同",
    # internship management
    "internship insurance": "实习保险",
    "three-party internship agreements": "三方实习协议",
    "intern pay and working hours": "实习报酬与工作时间",
    "internship safety management": "实习安全管理",
    "internship liability disputes": "实习责任纠纷",
    "labour law for interns and apprentices": "实习生与学徒的劳动法律问题",
    # technology transfer
    "patent licensing": "专利许可",
    "technology transfer contracts": "技术转让合同",
    "benefit distribution": "收益分配",
    "open licence schemes": "专利开放许可",
    "patent application strategy": "专利申请策略",
    "patent valuation": "专利价值评估",
    "equity investment with patents": "专利作价入股",
    # enterprise certification
    "industry-education integration enterprise certification": "产教融合型企业认定",
    "education surcharge offset": "教育费附加抵免",
    "tax deduction for employee training expenses": "职工教育经费税前扣除",
    "certification application materials": "认定申报材料",
    "annual review of certified enterprises": "已认定企业年度复核",
    # port machinery
    "quayside crane anti-sway control": "岸桥防摇控制",
    "port machinery maintenance training": "港口机械维修培训",
    "automated terminal equipment": "自动化码头装备",
    "order-based classes with port operators": "港口企业订单班",
    # shipbuilding
    "ship welding procedures": "船舶焊接工艺",
    "welder qualification": "焊工资格认证",
    "hull block assembly": "船体分段装配",
    "welding robot deployment": "焊接机器人应用",
    "hull outfitting": "船体舾装",
    "shipyard safety training": "船厂安全培训",
    "apprentice training plans for shipyards": "船厂学徒培训计划",
    # marine engineering and shipping
    "marine diesel engine maintenance": "船用柴油机维修",
    "engine room simulator training": "轮机模拟器培训",
    "marine electrician skills": "船舶电工技能",
    "shipboard internships": "上船实习",
    "seafarer training and certification": "船员培训与发证",
    "cadet onboarding": "见习船员上船安排",
    "smart shipping": "智慧航运",
    "maritime logistics": "海运物流",
    "shipping digitalisation": "航运数字化",
    "shipping company internships": "航运企业实习",
    # new energy
    "offshore wind turbine maintenance": "海上风电机组运维",
    "working-at-height safety": "高处作业安全",
    "wind power O&M training programmes": "风电运维培训项目",
    "battery cell production processes": "电芯生产工艺",
    "battery safety testing": "电池安全检测",
    "production line technician training": "产线技术员培训",
    "order-based class design": "订单班设计",
    # intelligent manufacturing and electrical automation
    "industrial robot programming": "工业机器人编程",
    "CNC process optimisation": "数控工艺优化",
    "digital twin production lines": "数字孪生产线",
    "productive training base construction": "生产性实训基地建设",
    "1+X vocational skill certificates": "1+X职业技能等级证书",
    "robot workstation integration": "机器人工作站集成",
    "robot operator training": "机器人操作员培训",
    "machine vision guidance": "机器视觉引导",
    "PLC programming": "PLC编程",
    "industrial network configuration": "工业网络配置",
    "electrical safety training": "电气安全培训",
    "skills competitions": "职业技能竞赛",
    # information technology, big data, AI
    "software testing curriculum": "软件测试课程建设",
    "project-based teaching with enterprises": "校企合作项目化教学",
    "cybersecurity skills competitions": "网络安全技能竞赛",
    "network security operations": "网络安全运维",
    "penetration testing training": "渗透测试培训",
    "security compliance for SMEs": "中小企业安全合规",
    "data annotation workflows": "数据标注流程",
    "big data platform operations": "大数据平台运维",
    "data governance": "数据治理",
    "student data projects": "学生数据项目",
    "AI trainer certification": "人工智能训练师认证",
    "computer vision applications": "计算机视觉应用",
    "large model fine-tuning for industry": "行业大模型微调",
    "AI internship projects": "人工智能实习项目",
    # logistics and cruise tourism
    "port logistics operations": "港口物流运营",
    "warehouse management systems": "仓储管理系统",
    "cold-chain logistics": "冷链物流",
    "logistics internships": "物流实习",
    "cruise service standards": "邮轮服务标准",
    "hospitality English": "酒店服务英语",
    "cruise crew recruitment": "邮轮乘务人员招聘",
    "order-based cruise classes": "邮轮订单班",
}

# Opening hours in booking_info
HOURS_ZH = {
    "Mon–Fri 8:30–17:00": "周一至周五 8:30–17:00",
    "Mon–Fri 8:00–16:30": "周一至周五 8:00–16:30",
    "Mon–Sat 8:30–17:00": "周一至周六 8:30–17:00",
}

ONLINE_LOCATION_ZH = "预约成功后发送腾讯会议链接"
