#!/usr/bin/env python3
"""Seeded generator of realistic *sample* cooperation records for the vocational-education assistant.

Writes three CSV files (UTF-8, header row, standard csv quoting):

    training_offers.csv      apprenticeships, order-based classes, internships, employee training, community courses
    platforms.csv            training bases, R&D platforms, labs, innovation centres and patents on offer
    consultation_slots.csv   bookable consultation slots with (fictional) experts

The demo region is Jiangsu (Nanjing, Nantong, Zhenjiang, Yangzhou, Taizhou, Changzhou, Suzhou, Lianyungang, Wuxi).
Every organisation and person name below is FICTIONAL; e-mail domains use the reserved-style ``.example.cn`` suffix.

Each human-readable text also gets a Chinese version in a ``*_zh`` column after all English columns. The Chinese
vocabularies live in the sibling module generate_zh.py, keyed by the English items; the Chinese sentence templates sit
next to their English ones below. Chinese texts never call the random generator: they are derived from the same
choices as the English texts, so the English columns are the same with or without them.

Usage:
    python knowledge_base/records/generate.py [--seed 2026] [--start 2027-01-04] [--out DIR]

The output depends only on --seed and --start: the same arguments always give byte-identical files.
Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

try:  # run as a script (python knowledge_base/records/generate.py): the script's folder is on sys.path
    import generate_zh as zh
except ImportError:  # imported as part of a package
    from . import generate_zh as zh

N_OFFERS = 160
N_FACILITIES = 44  # training bases, R&D platforms, labs, innovation centres
N_PATENTS = 20
SLOT_WEEKS = 8
CST = timezone(timedelta(hours=8), "CST")

# --------------------------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------------------------

AREA_CODES = {
    "Nanjing": "025",
    "Wuxi": "0510",
    "Zhenjiang": "0511",
    "Suzhou": "0512",
    "Nantong": "0513",
    "Yangzhou": "0514",
    "Lianyungang": "0518",
    "Changzhou": "0519",
    "Taizhou": "0523",
}
REGIONS = list(AREA_CODES)

FIELDS = [
    "shipbuilding",
    "port machinery",
    "shipping",
    "marine engineering",
    "new energy",
    "intelligent manufacturing",
    "electrical automation",
    "information technology",
    "big data",
    "artificial intelligence",
    "logistics",
    "cruise tourism",
]

# Programme ("major") that students in each field are enrolled in.
MAJORS = {
    "shipbuilding": "ship engineering technology",
    "port machinery": "port machinery and intelligent control",
    "shipping": "international shipping management",
    "marine engineering": "marine engineering technology",
    "new energy": "new energy equipment technology",
    "intelligent manufacturing": "intelligent manufacturing equipment technology",
    "electrical automation": "electrical automation technology",
    "information technology": "software technology",
    "big data": "big data technology",
    "artificial intelligence": "artificial intelligence technology application",
    "logistics": "modern logistics management",
    "cruise tourism": "cruise service and management",
}

# field -> [(occupation, activity noun for titles, (min, max) monthly wage of a regular employee at intermediate level)]
OCCUPATIONS = {
    "shipbuilding": [
        ("ship welder", "ship welding", (5200, 6200)),
        ("hull assembler", "hull block assembly", (4800, 5800)),
        ("ship pipe fitter", "ship pipe fitting", (4800, 5600)),
        ("ship coating inspector", "ship coating inspection", (4500, 5400)),
    ],
    "port machinery": [
        ("port crane operator", "port crane operation", (5000, 6000)),
        ("port machinery maintenance electrician", "port machinery electrical maintenance", (4800, 5600)),
        ("quayside crane mechanic", "quayside crane maintenance", (4800, 5700)),
    ],
    "shipping": [
        ("able seafarer", "deck operations", (5200, 6300)),
        ("shipping agency clerk", "shipping agency operations", (3800, 4600)),
        ("marine cargo tally clerk", "cargo tallying", (3800, 4500)),
    ],
    "marine engineering": [
        ("marine engine fitter", "marine engine fitting", (5000, 6000)),
        ("marine electrician", "marine electrical installation", (4900, 5800)),
        ("offshore platform installer", "offshore platform installation", (5200, 6300)),
    ],
    "new energy": [
        ("wind turbine technician", "wind turbine maintenance", (5000, 6100)),
        ("battery production technician", "battery cell production", (4300, 5200)),
        ("PV installation technician", "PV system installation", (4200, 5100)),
    ],
    "intelligent manufacturing": [
        ("CNC machinist", "CNC machining", (4600, 5600)),
        ("industrial robot operator", "industrial robot operation", (4500, 5500)),
        ("mechatronics maintenance technician", "production line maintenance", (4600, 5500)),
    ],
    "electrical automation": [
        ("PLC programmer", "PLC programming", (4800, 5800)),
        ("maintenance electrician", "electrical maintenance", (4300, 5200)),
        ("electrical control cabinet assembler", "control cabinet assembly", (4100, 4900)),
    ],
    "information technology": [
        ("software tester", "software testing", (4800, 5800)),
        ("network security technician", "network security operations", (5000, 6200)),
        ("front-end developer", "front-end development", (5200, 6300)),
    ],
    "big data": [
        ("data annotation engineer", "data annotation", (4000, 4800)),
        ("big data operations technician", "big data platform operations", (5000, 6000)),
        ("data analysis assistant", "business data analysis", (4600, 5500)),
    ],
    "artificial intelligence": [
        ("AI trainer", "AI model training support", (4600, 5600)),
        ("machine vision technician", "machine vision deployment", (5000, 6100)),
        ("AI application tester", "AI application testing", (4700, 5700)),
    ],
    "logistics": [
        ("logistics coordinator", "logistics coordination", (4000, 4800)),
        ("warehouse management specialist", "warehouse management", (3900, 4700)),
        ("cold-chain logistics clerk", "cold-chain logistics", (3900, 4600)),
    ],
    "cruise tourism": [
        ("cruise steward", "cruise cabin service", (3800, 4700)),
        ("cruise front desk agent", "cruise front desk service", (3800, 4600)),
        ("cruise tour guide", "shore excursion guiding", (4000, 4900)),
    ],
}

LEVEL_FACTOR = {"intermediate": 1.0, "senior": 1.15, "technician": 1.3}

# (name, short name for titles, e-mail domain stem, home city, fields) -- all fictional.
ENTERPRISES = [
    ("Haixing Shipbuilding Co., Ltd.", "Haixing Shipbuilding", "haixing-ship", "Nantong", ["shipbuilding"]),
    (
        "Tonghai Marine Engineering Equipment Co., Ltd.",
        "Tonghai Marine",
        "tonghai-marine",
        "Nantong",
        ["marine engineering", "shipbuilding"],
    ),
    ("Jiangfeng Offshore Wind Power Co., Ltd.", "Jiangfeng Offshore Wind", "jiangfeng-wind", "Nantong", ["new energy"]),
    (
        "Lianyun Ocean Shipping Co., Ltd.",
        "Lianyun Ocean Shipping",
        "lianyun-shipping",
        "Nantong",
        ["shipping", "logistics"],
    ),
    ("Huanjiang Shipyard (Taizhou) Co., Ltd.", "Huanjiang Shipyard", "huanjiang-shipyard", "Taizhou", ["shipbuilding"]),
    ("Taixin Ship Welding Engineering Co., Ltd.", "Taixin Ship Welding", "taixin-weld", "Taizhou", ["shipbuilding"]),
    (
        "Xinchuan Marine Power Co., Ltd.",
        "Xinchuan Marine Power",
        "xinchuan-power",
        "Taizhou",
        ["marine engineering", "electrical automation"],
    ),
    (
        "Jinggang Port Machinery Group",
        "Jinggang Port Machinery",
        "jinggang-portmach",
        "Lianyungang",
        ["port machinery", "electrical automation"],
    ),
    (
        "Xuyun Container Terminal Co., Ltd.",
        "Xuyun Container Terminal",
        "xuyun-terminal",
        "Lianyungang",
        ["port machinery", "logistics"],
    ),
    (
        "Gangtong International Logistics Co., Ltd.",
        "Gangtong Logistics",
        "gangtong-logistics",
        "Lianyungang",
        ["logistics", "shipping"],
    ),
    (
        "Haiyue Cruise Terminal Services Co., Ltd.",
        "Haiyue Cruise Terminal",
        "haiyue-cruise",
        "Lianyungang",
        ["cruise tourism"],
    ),
    ("Runzhou Crane Works Co., Ltd.", "Runzhou Crane Works", "runzhou-crane", "Zhenjiang", ["port machinery"]),
    ("Lanfeng Wind Power Equipment Co.", "Lanfeng Wind Power", "lanfeng-wind", "Zhenjiang", ["new energy"]),
    (
        "Huike Electric Automation Co., Ltd.",
        "Huike Electric",
        "huike-electric",
        "Zhenjiang",
        ["electrical automation", "new energy"],
    ),
    (
        "Yunzhi Robotics (Changzhou) Co.",
        "Yunzhi Robotics",
        "yunzhi-robot",
        "Changzhou",
        ["intelligent manufacturing", "artificial intelligence"],
    ),
    ("Longcheng Power Battery Co., Ltd.", "Longcheng Power Battery", "longcheng-battery", "Changzhou", ["new energy"]),
    (
        "Jingrui Precision Machinery (Changzhou) Co.",
        "Jingrui Precision",
        "jingrui-precision",
        "Changzhou",
        ["intelligent manufacturing"],
    ),
    (
        "Guangyao Photovoltaic Technology Co., Ltd.",
        "Guangyao PV",
        "guangyao-pv",
        "Changzhou",
        ["new energy", "electrical automation"],
    ),
    ("Hongtu Software (Wuxi) Co., Ltd.", "Hongtu Software", "hongtu-soft", "Wuxi", ["information technology"]),
    ("Shuyun Data Technology Co., Ltd.", "Shuyun Data", "shuyun-data", "Wuxi", ["big data", "artificial intelligence"]),
    (
        "Xiyi Intelligent Equipment Co., Ltd.",
        "Xiyi Intelligent Equipment",
        "xiyi-equip",
        "Wuxi",
        ["intelligent manufacturing", "electrical automation"],
    ),
    (
        "Zhixin AI Technology (Suzhou) Co., Ltd.",
        "Zhixin AI",
        "zhixin-ai",
        "Suzhou",
        ["artificial intelligence", "big data"],
    ),
    (
        "Hengrun Cybersecurity Technology (Suzhou) Co.",
        "Hengrun Cybersecurity",
        "hengrun-sec",
        "Suzhou",
        ["information technology"],
    ),
    (
        "Suxin Industrial Robot Co., Ltd.",
        "Suxin Industrial Robot",
        "suxin-robot",
        "Suzhou",
        ["intelligent manufacturing"],
    ),
    ("Sutong Supply Chain Management Co., Ltd.", "Sutong Supply Chain", "sutong-scm", "Suzhou", ["logistics"]),
    (
        "Jinchuan Software Technology (Nanjing) Co.",
        "Jinchuan Software",
        "jinchuan-soft",
        "Nanjing",
        ["information technology", "big data"],
    ),
    ("Lingyun Vision AI Co., Ltd.", "Lingyun Vision AI", "lingyun-vision", "Nanjing", ["artificial intelligence"]),
    (
        "Yuefan Shipping Agency Co., Ltd.",
        "Yuefan Shipping Agency",
        "yuefan-shipping",
        "Nanjing",
        ["shipping", "logistics"],
    ),
    ("Jiangyue River Cruise Co., Ltd.", "Jiangyue River Cruise", "jiangyue-cruise", "Nanjing", ["cruise tourism"]),
    (
        "Weiyang Canal Cruise Tourism Co., Ltd.",
        "Weiyang Canal Cruise",
        "weiyang-cruise",
        "Yangzhou",
        ["cruise tourism"],
    ),
    (
        "Guanghai Marine Engineering Co., Ltd.",
        "Guanghai Marine",
        "guanghai-marine",
        "Yangzhou",
        ["marine engineering", "shipbuilding"],
    ),
    ("Hanjiang Solar Energy Co., Ltd.", "Hanjiang Solar", "hanjiang-solar", "Yangzhou", ["new energy"]),
]

# (name, short name, e-mail domain stem, city, fields) -- all fictional vocational colleges.
SCHOOLS = [
    (
        "Jiangsu Haiyun Vocational College",
        "Haiyun Vocational College",
        "haiyun-vc",
        "Nantong",
        ["shipping", "marine engineering", "shipbuilding", "logistics", "cruise tourism"],
    ),
    (
        "Nantong Binjiang Shipping Technical College",
        "Binjiang Shipping College",
        "binjiang-stc",
        "Nantong",
        ["shipbuilding", "shipping", "new energy", "port machinery"],
    ),
    (
        "Changzhou Intelligent Manufacturing Polytechnic",
        "Changzhou IM Polytechnic",
        "czimp",
        "Changzhou",
        ["intelligent manufacturing", "electrical automation", "new energy", "artificial intelligence"],
    ),
    (
        "Lianyungang Gangcheng Port Vocational College",
        "Gangcheng Port College",
        "gangcheng-pvc",
        "Lianyungang",
        ["port machinery", "logistics", "shipping", "cruise tourism"],
    ),
    (
        "Wuxi Xinhu Information Technology Polytechnic",
        "Xinhu IT Polytechnic",
        "xinhu-itp",
        "Wuxi",
        ["information technology", "big data", "artificial intelligence", "intelligent manufacturing"],
    ),
    (
        "Suzhou Qinghe Digital Technology Vocational College",
        "Qinghe Digital College",
        "qinghe-dtvc",
        "Suzhou",
        ["artificial intelligence", "big data", "information technology", "logistics"],
    ),
    (
        "Nanjing Huaying Electrical Polytechnic",
        "Huaying Electrical Polytechnic",
        "huaying-ep",
        "Nanjing",
        ["electrical automation", "information technology", "new energy", "intelligent manufacturing"],
    ),
    (
        "Taizhou Jiangyuan Marine Engineering Vocational College",
        "Jiangyuan Marine College",
        "jiangyuan-mevc",
        "Taizhou",
        ["marine engineering", "shipbuilding", "electrical automation"],
    ),
    (
        "Yangzhou Yunhe Cruise and Tourism Vocational College",
        "Yunhe Cruise College",
        "yunhe-ctvc",
        "Yangzhou",
        ["cruise tourism", "logistics", "big data"],
    ),
    (
        "Zhenjiang Ruishan New Energy Technical College",
        "Ruishan New Energy College",
        "ruishan-netc",
        "Zhenjiang",
        ["new energy", "electrical automation", "port machinery"],
    ),
]

# Facilities (training bases, R&D platforms, labs, innovation centres) per field.
FACILITY_DATA = {
    "shipbuilding": {
        "base": "Ship Welding and Hull Assembly",
        "rd": "Green Ship Construction Technology",
        "lab": "Welding Quality Inspection Lab",
        "inno": "Intelligent Shipyard Innovation Centre",
        "equipment": [
            "6-axis welding robots",
            "virtual welding trainers",
            "hull block assembly jig",
            "ultrasonic flaw detectors",
            "CO2 gas-shielded welding stations",
        ],
    },
    "port machinery": {
        "base": "Port Machinery Operation and Maintenance",
        "rd": "Port Crane Intelligent Control",
        "lab": "Port Machinery Condition Monitoring Lab",
        "inno": "Automated Terminal Digital Twin Innovation Centre",
        "equipment": [
            "quayside container crane simulator",
            "rubber-tyred gantry crane trainer",
            "crane PLC control training rigs",
            "vibration analysis kit",
            "reach stacker",
        ],
    },
    "shipping": {
        "base": "Seafarer Practical Training",
        "rd": "Smart Shipping Operations",
        "lab": "Ship Navigation Simulation Lab",
        "inno": "Shipping Digitalisation Innovation Centre",
        "equipment": [
            "full-mission ship handling simulator",
            "GMDSS radio simulator",
            "ECDIS workstations",
            "lifeboat and survival craft drill area",
            "cargo loading simulator",
        ],
    },
    "marine engineering": {
        "base": "Marine Engine Room Practical Training",
        "rd": "Marine Power System Engineering",
        "lab": "Marine Diesel Engine Performance Lab",
        "inno": "Offshore Equipment Innovation Centre",
        "equipment": [
            "full-mission engine room simulator",
            "marine diesel engine test bench",
            "marine electrical switchboard trainer",
            "shafting alignment rig",
            "marine boiler trainer",
        ],
    },
    "new energy": {
        "base": "Wind Power and Energy Storage",
        "rd": "Offshore Wind Operation and Maintenance",
        "lab": "Battery Safety Testing Lab",
        "inno": "New Energy Equipment Innovation Centre",
        "equipment": [
            "wind turbine nacelle trainer",
            "working-at-height training tower",
            "battery charge-discharge testers",
            "PV micro-grid training system",
            "thermal runaway test chamber",
        ],
    },
    "intelligent manufacturing": {
        "base": "Intelligent Manufacturing Production Line",
        "rd": "Digital Twin Production Line Engineering",
        "lab": "Precision Measurement Lab",
        "inno": "Industrial Robot Application Innovation Centre",
        "equipment": [
            "5-axis CNC machining centres",
            "industrial robot workstations",
            "coordinate measuring machine",
            "flexible manufacturing line",
            "MES training system",
        ],
    },
    "electrical automation": {
        "base": "Electrical Automation Practical Training",
        "rd": "Industrial Control and Drive Technology",
        "lab": "PLC and Industrial Network Lab",
        "inno": "Smart Factory Control Innovation Centre",
        "equipment": [
            "PLC training rigs",
            "servo drive trainers",
            "industrial Ethernet test bench",
            "low-voltage switchgear trainer",
            "HMI/SCADA workstations",
        ],
    },
    "information technology": {
        "base": "Software Development and Testing",
        "rd": "Industrial Software Engineering",
        "lab": "Cybersecurity Attack and Defence Lab",
        "inno": "Open Source Software Innovation Centre",
        "equipment": [
            "cyber range platform",
            "automated testing toolchain",
            "private cloud cluster",
            "network security appliances",
            "mobile device test farm",
        ],
    },
    "big data": {
        "base": "Big Data and Data Annotation",
        "rd": "Industrial Big Data Analytics",
        "lab": "Data Governance Lab",
        "inno": "Data Services Innovation Centre",
        "equipment": [
            "Hadoop/Spark training cluster",
            "data annotation workstations",
            "GPU server",
            "data visualisation wall",
            "data security sandbox",
        ],
    },
    "artificial intelligence": {
        "base": "AI Application Practical Training",
        "rd": "Machine Vision for Manufacturing",
        "lab": "Computer Vision Lab",
        "inno": "Industrial AI Innovation Centre",
        "equipment": [
            "GPU training servers",
            "machine vision inspection stations",
            "edge AI development kits",
            "collaborative robots with vision",
            "speech data collection booth",
        ],
    },
    "logistics": {
        "base": "Smart Logistics Practical Training",
        "rd": "Port Logistics Optimisation",
        "lab": "Cold-Chain Logistics Lab",
        "inno": "Supply Chain Digitalisation Innovation Centre",
        "equipment": [
            "automated storage and retrieval system",
            "warehouse management system",
            "AGV fleet",
            "cold-storage training room",
            "RFID sorting line",
        ],
    },
    "cruise tourism": {
        "base": "Cruise Service Practical Training",
        "rd": "Cruise Tourism Service Design",
        "lab": "Hospitality Service Simulation Lab",
        "inno": "River and Ocean Cruise Tourism Innovation Centre",
        "equipment": [
            "mock cruise cabins",
            "cruise front desk simulation system",
            "bar and restaurant training room",
            "VR cruise safety drill system",
            "multilingual guiding studio",
        ],
    },
}

# field -> [(patent title, patent type)]
PATENT_TITLES = {
    "shipbuilding": [
        ("Seam tracking method for ship block welding robots", "invention"),
        ("Portable fixture for aligning hull butt joints", "utility_model"),
    ],
    "port machinery": [
        ("Anti-sway control method for quayside container cranes", "invention"),
        ("Wire rope wear detection device for gantry cranes", "utility_model"),
    ],
    "shipping": [
        ("Berth scheduling method for inland container ships", "invention"),
    ],
    "marine engineering": [
        ("Fault diagnosis method for marine diesel engine fuel injection", "invention"),
        ("Vibration-damping mount for marine auxiliary engines", "utility_model"),
    ],
    "new energy": [
        ("Blade icing detection method for offshore wind turbines", "invention"),
        ("Battery module thermal runaway early-warning device", "utility_model"),
        ("Cleaning robot for rooftop photovoltaic panels", "utility_model"),
    ],
    "intelligent manufacturing": [
        ("Tool wear prediction method for CNC machining centres", "invention"),
        ("Quick-change gripper for industrial robot workstations", "utility_model"),
    ],
    "electrical automation": [
        ("PLC-based energy-saving control system for conveyor lines", "invention"),
        ("Teaching training cabinet for electrical control circuits", "design"),
    ],
    "information technology": [
        ("Automated regression test case generation method for web applications", "invention"),
    ],
    "big data": [
        ("Quality checking method for crowd-sourced image annotation", "invention"),
    ],
    "artificial intelligence": [
        ("Weld surface defect detection method based on deep learning", "invention"),
        ("Handheld machine vision inspection terminal", "design"),
    ],
    "logistics": [
        ("Slotting optimisation method for automated cold-chain warehouses", "invention"),
    ],
    "cruise tourism": [
        ("Cabin service robot for river cruise ships", "utility_model"),
    ],
}
PATENT_TYPE_DIGIT = {"invention": "1", "utility_model": "2", "design": "3"}

SERVICES = [
    "practice teaching",
    "social training",
    "real production",
    "technical service",
    "equipment sharing",
    "testing and certification",
    "joint R&D",
]

# Fictional experts: (name, title, organisation, city, field, topics)
EXPERTS = [
    (
        "Prof. Zhou Min",
        "Professor of Vocational Education",
        "Jiangsu Haiyun Vocational College",
        "Nantong",
        "apprenticeship policy",
        [
            "modern apprenticeship agreements",
            "double-tutor arrangements",
            "enterprise new apprenticeship subsidies",
            "apprentice assessment and certification",
        ],
    ),
    (
        "Ms. Wang Fang",
        "Senior Human Resources Consultant",
        "Nantong Jinqiao Skills Development Service Centre",
        "Nantong",
        "apprenticeship policy",
        [
            "enterprise new apprenticeship subsidies",
            "apprenticeship training plan filing",
            "labour contracts for apprentices",
        ],
    ),
    (
        "Dr. Liu Yang",
        "Director of Internship Affairs",
        "Changzhou Intelligent Manufacturing Polytechnic",
        "Changzhou",
        "internship management",
        [
            "internship insurance",
            "three-party internship agreements",
            "intern pay and working hours",
            "internship safety management",
        ],
    ),
    (
        "Mr. Sun Jie",
        "Partner, Labour Law Practice",
        "Jiangsu Mingheng Law Firm",
        "Nanjing",
        "internship management",
        [
            "three-party internship agreements",
            "internship liability disputes",
            "labour law for interns and apprentices",
            "internship insurance",
        ],
    ),
    (
        "Prof. Xu Lei",
        "Professor of Technology Management",
        "Sutong Technology Transfer Centre",
        "Suzhou",
        "technology transfer",
        ["patent licensing", "technology transfer contracts", "benefit distribution", "open licence schemes"],
    ),
    (
        "Dr. Ma Lin",
        "Patent Attorney",
        "Huixin Intellectual Property Agency",
        "Nanjing",
        "technology transfer",
        [
            "patent application strategy",
            "patent valuation",
            "patent licensing",
            "equity investment with patents",
            "technology transfer contracts",
        ],
    ),
    (
        "Ms. Zhao Qian",
        "Senior Tax Advisor",
        "Ruida Tax Advisory Co., Ltd.",
        "Wuxi",
        "enterprise certification",
        [
            "industry-education integration enterprise certification",
            "education surcharge offset",
            "tax deduction for employee training expenses",
        ],
    ),
    (
        "Mr. Huang Wei",
        "Policy Officer",
        "Jiangsu Chanrong Enterprise Service Centre",
        "Nanjing",
        "enterprise certification",
        [
            "industry-education integration enterprise certification",
            "certification application materials",
            "annual review of certified enterprises",
            "education surcharge offset",
        ],
    ),
    (
        "Prof. Chen Gang",
        "Professor of Port Machinery Engineering",
        "Lianyungang Gangcheng Port Vocational College",
        "Lianyungang",
        "port machinery",
        [
            "quayside crane anti-sway control",
            "port machinery maintenance training",
            "automated terminal equipment",
            "order-based classes with port operators",
        ],
    ),
    (
        "Eng. Chen Hao",
        "Chief Welding Engineer",
        "Haixing Shipbuilding Co., Ltd.",
        "Nantong",
        "shipbuilding",
        ["ship welding procedures", "welder qualification", "hull block assembly", "welding robot deployment"],
    ),
    (
        "Eng. Zhu Tao",
        "Senior Engineer, Outfitting Department",
        "Huanjiang Shipyard (Taizhou) Co., Ltd.",
        "Taizhou",
        "shipbuilding",
        ["hull outfitting", "shipyard safety training", "apprentice training plans for shipyards"],
    ),
    (
        "Assoc. Prof. Lin Jing",
        "Associate Professor of Marine Engineering",
        "Taizhou Jiangyuan Marine Engineering Vocational College",
        "Taizhou",
        "marine engineering",
        [
            "marine diesel engine maintenance",
            "engine room simulator training",
            "marine electrician skills",
            "shipboard internships",
        ],
    ),
    (
        "Capt. Gao Feng",
        "Fleet Training Manager",
        "Lianyun Ocean Shipping Co., Ltd.",
        "Nantong",
        "shipping",
        ["seafarer training and certification", "shipboard internships", "cadet onboarding"],
    ),
    (
        "Dr. He Xin",
        "Lecturer in Wind Power Engineering",
        "Zhenjiang Ruishan New Energy Technical College",
        "Zhenjiang",
        "new energy",
        ["offshore wind turbine maintenance", "working-at-height safety", "wind power O&M training programmes"],
    ),
    (
        "Eng. Guo Peng",
        "Production Engineering Manager",
        "Longcheng Power Battery Co., Ltd.",
        "Changzhou",
        "new energy",
        [
            "battery cell production processes",
            "battery safety testing",
            "production line technician training",
            "order-based class design",
        ],
    ),
    (
        "Prof. Luo Hui",
        "Professor of Intelligent Manufacturing",
        "Changzhou Intelligent Manufacturing Polytechnic",
        "Changzhou",
        "intelligent manufacturing",
        [
            "industrial robot programming",
            "CNC process optimisation",
            "digital twin production lines",
            "productive training base construction",
            "1+X vocational skill certificates",
        ],
    ),
    (
        "Eng. Yang Bo",
        "Application Engineering Lead",
        "Yunzhi Robotics (Changzhou) Co.",
        "Changzhou",
        "intelligent manufacturing",
        ["robot workstation integration", "robot operator training", "machine vision guidance"],
    ),
    (
        "Assoc. Prof. Zheng Li",
        "Associate Professor of Electrical Automation",
        "Nanjing Huaying Electrical Polytechnic",
        "Nanjing",
        "electrical automation",
        ["PLC programming", "industrial network configuration", "electrical safety training", "skills competitions"],
    ),
    (
        "Dr. Feng Yu",
        "Head of Software Technology Programme",
        "Wuxi Xinhu Information Technology Polytechnic",
        "Wuxi",
        "information technology",
        ["software testing curriculum", "project-based teaching with enterprises", "cybersecurity skills competitions"],
    ),
    (
        "Eng. Tang Yi",
        "Security Operations Director",
        "Hengrun Cybersecurity Technology (Suzhou) Co.",
        "Suzhou",
        "information technology",
        ["network security operations", "penetration testing training", "security compliance for SMEs"],
    ),
    (
        "Dr. Song Yue",
        "Lecturer in Big Data Technology",
        "Suzhou Qinghe Digital Technology Vocational College",
        "Suzhou",
        "big data",
        ["data annotation workflows", "big data platform operations", "data governance", "student data projects"],
    ),
    (
        "Eng. Han Mei",
        "AI Product Manager",
        "Zhixin AI Technology (Suzhou) Co., Ltd.",
        "Suzhou",
        "artificial intelligence",
        [
            "AI trainer certification",
            "computer vision applications",
            "large model fine-tuning for industry",
            "AI internship projects",
        ],
    ),
    (
        "Mr. Xie Qiang",
        "Operations Director",
        "Gangtong International Logistics Co., Ltd.",
        "Lianyungang",
        "logistics",
        ["port logistics operations", "warehouse management systems", "cold-chain logistics", "logistics internships"],
    ),
    (
        "Ms. Dong Xue",
        "Head of Cruise Service Programme",
        "Yangzhou Yunhe Cruise and Tourism Vocational College",
        "Yangzhou",
        "cruise tourism",
        ["cruise service standards", "hospitality English", "cruise crew recruitment", "order-based cruise classes"],
    ),
    (
        "Dr. Cao Rui",
        "Lecturer in Shipping Management",
        "Jiangsu Haiyun Vocational College",
        "Nantong",
        "shipping",
        ["smart shipping", "maritime logistics", "shipping digitalisation", "shipping company internships"],
    ),
]

# Relative weight of each field among the offers (the region's ship, port and manufacturing industries lead).
FIELD_WEIGHTS = [
    ("shipbuilding", 12),
    ("port machinery", 9),
    ("shipping", 8),
    ("marine engineering", 9),
    ("new energy", 11),
    ("intelligent manufacturing", 11),
    ("electrical automation", 8),
    ("information technology", 8),
    ("big data", 6),
    ("artificial intelligence", 7),
    ("logistics", 8),
    ("cruise tourism", 6),
]

KIND_WEIGHTS = [
    ("apprenticeship", 34),
    ("internship", 30),
    ("order_class", 13),
    ("employee_training", 13),
    ("community_course", 10),
]


# --------------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------------


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs], k=1)[0]


def round_to(value: float, step: int = 100) -> int:
    return int(round(value / step) * step)


def ceil_to(value: float, step: int = 100) -> int:
    return int(-(-value // step) * step)


def phone(rng: random.Random, city: str) -> str:
    code = AREA_CODES[city]
    return f"{code}-8{rng.randint(0, 9999999):07d}"


def next_weekday(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


def first_of_next_month(d: date) -> date:
    if d.day == 1:
        return d
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def semester_start(d: date) -> date:
    """Next 1 March or 1 September on or after d."""
    for candidate in (date(d.year, 3, 1), date(d.year, 9, 1), date(d.year + 1, 3, 1)):
        if candidate >= d:
            return candidate
    raise AssertionError


def schools_for(field: str, city: str) -> list[tuple]:
    local = [s for s in SCHOOLS if field in s[4] and s[3] == city]
    anywhere = [s for s in SCHOOLS if field in s[4]]
    return local or anywhere


def enterprises_for(field: str) -> list[tuple]:
    return [e for e in ENTERPRISES if field in e[4]]


def shuffled(rng: random.Random, counts: dict[str, int], total: int, rest: str) -> list[str]:
    """A shuffled list of `total` values with exact counts for some values and `rest` for the remainder."""
    values = [v for v, n in counts.items() for _ in range(n)]
    values += [rest] * (total - len(values))
    rng.shuffle(values)
    return values


def plural(noun: str) -> str:
    return noun + "s"


def zh_list(items: list[str], vocab: dict[str, str]) -> str:
    """The Chinese version of a list cell: each item looked up in `vocab`, joined with the Chinese separator."""
    return zh.LIST_SEP_ZH.join(vocab[item] for item in items)


# --------------------------------------------------------------------------------------------------------------
# training_offers.csv
# --------------------------------------------------------------------------------------------------------------

OFFER_COLUMNS = [
    "id",
    "title",
    "kind",
    "enterprise",
    "school",
    "field",
    "region",
    "start_date",
    "duration_months",
    "places",
    "status",
    "occupation",
    "level",
    "wage_cny_month",
    "subsidy",
    "requirements",
    "description",
    "contact",
    # Chinese versions of the texts (empty where the English is empty)
    "title_zh",
    "enterprise_zh",
    "school_zh",
    "occupation_zh",
    "requirements_zh",
    "description_zh",
    "subsidy_zh",
]


def make_offer(rng: random.Random, number: int, ent: tuple, field: str, kind: str, status: str, start: date) -> dict:
    e_name, e_short, e_dom, e_city, _ = ent
    occupation, activity, (wmin, wmax) = rng.choice(OCCUPATIONS[field])
    school = rng.choice(schools_for(field, e_city))
    s_name, s_short, s_dom, s_city, _ = school
    major = MAJORS[field]
    level = weighted(rng, [("intermediate", 5), ("senior", 4), ("technician", 2)])
    post_wage = round_to(rng.randint(wmin, wmax) * LEVEL_FACTOR[level])
    # Chinese counterparts of the names above (no random calls)
    e_short_zh, s_short_zh = zh.SHORT_NAMES_ZH[e_name], zh.SHORT_NAMES_ZH[s_name]
    s_name_zh = zh.ORGANISATIONS_ZH[s_name]
    occupation_zh, activity_zh = zh.OCCUPATIONS_ZH[occupation], zh.ACTIVITIES_ZH[activity]
    major_zh = zh.MAJORS_ZH[major]

    row = dict.fromkeys(OFFER_COLUMNS, "")
    row.update(
        id=f"TO-{number:04d}",
        kind=kind,
        enterprise=e_name,
        school=s_name,
        field=field,
        region=e_city,
        status=status,
        occupation=occupation,
        level=level,
        enterprise_zh=zh.ORGANISATIONS_ZH[e_name],
        school_zh=s_name_zh,
        occupation_zh=occupation_zh,
    )

    # Start date: open offers start within ~8 months of --start; closed ones either already started or are full.
    if status == "open" or rng.random() < 0.4:
        raw_start = start + timedelta(days=rng.randint(7, 240))
    else:
        raw_start = start - timedelta(days=rng.randint(30, 200))
    full_note = full_note_zh = ""
    if status == "closed":
        if raw_start >= start:
            full_note, full_note_zh = " Applications closed: all places filled.", "报名已截止：名额已满。"
        else:
            full_note, full_note_zh = " Applications closed.", "报名已截止。"

    contact = f"hr@{e_dom}.example.cn" if rng.random() < 0.7 else f"{phone(rng, e_city)} (HR office)"

    if kind == "apprenticeship":
        new_type = rng.random() < 0.6  # enterprise new apprenticeship (employees) vs modern apprenticeship (students)
        duration = rng.choice([12, 12, 18, 24, 24]) if level != "technician" else rng.choice([18, 24, 24])
        places = rng.randint(4, 30)
        start_d = first_of_next_month(raw_start) if new_type else semester_start(raw_start)
        if not new_type and level == "technician":  # student apprentices aim at intermediate or senior level
            level = row["level"] = "senior"
        level_zh = zh.LEVELS_ZH[level]
        if new_type:
            wage = post_wage if rng.random() < 0.5 else round_to(post_wage * rng.uniform(0.9, 0.97))
            row["title"] = f"{occupation.capitalize()} apprenticeship ({level}) at {e_short}"
            row["title_zh"] = f"{e_short_zh}：{occupation_zh}（{level_zh}）学徒制培训"
            if rng.random() < 0.65:
                amount = {"intermediate": 4000, "senior": 5000, "technician": 6000}[level]
                row["subsidy"] = f"{amount} CNY per apprentice per year (enterprise new apprenticeship subsidy)"
                row["subsidy_zh"] = f"每名学徒每年{amount}元（企业新型学徒制培训补贴）"
            row["requirements"], row["requirements_zh"] = rng.choice(
                [
                    (
                        "labour contract of at least one year; full-time students excluded",
                        "签订一年以上劳动合同；全日制在校学生除外",
                    ),
                    (
                        "labour contract of at least one year with the enterprise; full-time students excluded; "
                        f"currently working in {activity} posts",
                        f"与企业签订一年以上劳动合同；全日制在校学生除外；现从事{activity_zh}岗位工作",
                    ),
                    (
                        "employees on a labour contract of at least one year; full-time students excluded; "
                        "training plan filed with the local human resources and social security bureau",
                        "签订一年以上劳动合同的在职职工；全日制在校学生除外；培训计划已报当地人力资源和社会保障局备案",
                    ),
                ]
            )
            row["description"] = (
                f"Enterprise new-type apprenticeship run by {e_short} with {s_name}, combining on-the-job training "
                f"and off-the-job courses to reach the {level} {occupation} qualification. Each apprentice has "
                "double tutors: an enterprise mentor and a school teacher." + full_note
            )
            row["description_zh"] = (
                f"由{e_short_zh}联合{s_name_zh}开展的企业新型学徒制培训，采取在岗培训与脱产课程相结合的方式，"
                f"帮助学徒取得{occupation_zh}（{level_zh}）职业技能等级。每名学徒实行“双导师”制，"
                "配备企业导师和学校教师各一名。" + full_note_zh
            )
        else:
            wage = round_to(rng.randint(3200, 4400) * (1.0 if level == "intermediate" else 1.08))
            row["title"] = f"Modern apprenticeship: {plural(occupation)} ({level}) with {e_short} and {s_short}"
            row["title_zh"] = f"现代学徒制：{occupation_zh}（{level_zh}）——{e_short_zh}与{s_short_zh}联合培养"
            row["requirements"] = (
                f"first-year students of {major} at {s_short}; three-party apprenticeship "
                "agreement (student, school, enterprise); parental consent for students under 18"
            )
            row["requirements_zh"] = (
                f"{s_short_zh}{major_zh}专业一年级学生；签订学生、学校、企业三方学徒协议；未满18周岁的学生须经家长同意"
            )
            row["description"] = (
                f"Dual-identity apprentices (student and apprentice) alternate between classes at {s_short} and "
                f"rotations at {e_short}, with double tutors: an enterprise mentor and a school teacher. "
                f"A monthly apprentice allowance is paid during enterprise rotations." + full_note
            )
            row["description_zh"] = (
                f"学徒兼具学生和学徒双重身份，在{s_short_zh}课堂学习与{e_short_zh}岗位轮训之间交替进行，"
                "实行企业导师和学校教师“双导师”制。企业轮训期间按月发放学徒津贴。" + full_note_zh
            )
            if rng.random() < 0.3:
                row["subsidy"] = "tuition for the enterprise-based modules covered by the enterprise"
                row["subsidy_zh"] = "企业课程模块的学费由企业承担"
        row["wage_cny_month"] = str(max(3200, min(wage, 6500)))
    elif kind == "internship":
        months = rng.choice([6, 6, 6, 6, 6, 5, 4, 3])
        duration = months
        places = rng.randint(5, 40)
        start_d = next_weekday(raw_start, 0)
        # Intern pay must be at least 80% of the probation wage for the same post.
        wage = min(6500, max(3200, ceil_to(post_wage * rng.uniform(0.8, 0.9))))
        if wage < post_wage * 0.8:  # capped at 6500: state a probation wage consistent with the 80% rule
            post_wage = int(wage / 0.8) // 100 * 100
        row["wage_cny_month"] = str(wage)
        row["title"] = f"{months}-month post internship: {activity} at {e_short}"
        row["title_zh"] = f"{e_short_zh}：{activity_zh}岗位实习（{months}个月）"
        row["requirements"], row["requirements_zh"] = rng.choice(
            [
                (
                    f"final-year students of {major}; three-party internship agreement; "
                    "internship liability insurance provided",
                    f"{major_zh}专业毕业年级学生；签订三方实习协议；提供实习责任保险",
                ),
                (
                    f"second-year students of {major}; three-party internship agreement (student, school, enterprise); "
                    "internship liability insurance provided; no night shifts or overtime for interns",
                    f"{major_zh}专业二年级学生；签订学生、学校、企业三方实习协议；提供实习责任保险；"
                    "不安排实习生上夜班或加班",
                ),
                (
                    f"final-year students of {major} at {s_short} or partner colleges; "
                    "three-party internship agreement; internship liability insurance provided; "
                    "health check before placement",
                    f"{s_short_zh}或合作院校{major_zh}专业毕业年级学生；签订三方实习协议；提供实习责任保险；"
                    "上岗前进行健康体检",
                ),
            ]
        )
        row["description"] = (
            f"Post internship as {occupation} at {e_short}, guided by double tutors (an enterprise mentor and a "
            f"{s_short} teacher). Pay is {wage} CNY per month, not less than 80% of the probation wage for the "
            f"same post ({post_wage} CNY)." + full_note
        )
        row["description_zh"] = (
            f"在{e_short_zh}从事{occupation_zh}岗位实习，由企业导师和{s_short_zh}教师组成“双导师”共同指导。"
            f"实习报酬为每月{wage}元，不低于同岗位试用期工资（{post_wage}元）的80%。" + full_note_zh
        )
        if rng.random() < 0.25:
            row["subsidy"] = "free dormitory and meal allowance of 20 CNY per working day"
            row["subsidy_zh"] = "免费提供宿舍，每个工作日发放餐补20元"
    elif kind == "order_class":
        duration = rng.choice([12, 12, 18, 24])
        places = rng.randint(20, 50)
        start_d = semester_start(raw_start)
        row["title"] = f"Order-based class: {plural(occupation)} for {e_short}"
        row["title_zh"] = f"{e_short_zh}订单班：{occupation_zh}"
        row["requirements"] = (
            f"first- or second-year students of {major} at {s_short}; selection interview by "
            f"{e_short}; employment agreement on graduation"
        )
        row["requirements_zh"] = f"{s_short_zh}{major_zh}专业一、二年级学生；经{e_short_zh}面试选拔；毕业时签订就业协议"
        row["description"] = (
            f"{e_short} and {s_short} jointly design the curriculum; graduates who pass the assessment are hired as "
            f"{plural(occupation)}. Double tutors: enterprise engineers teach the job modules alongside school "
            "teachers." + full_note
        )
        row["description_zh"] = (
            f"{e_short_zh}与{s_short_zh}共同设计课程体系，考核合格的毕业生由企业录用为{occupation_zh}。"
            "实行“双导师”制：企业工程师与学校教师共同讲授岗位课程模块。" + full_note_zh
        )
        row["subsidy"], row["subsidy_zh"] = rng.choice(
            [
                ("enterprise scholarship of 3000 CNY per student per year", "企业奖学金每生每年3000元"),
                (
                    "tuition and textbook fees for enterprise modules covered by the enterprise",
                    "企业课程模块的学费和教材费由企业承担",
                ),
                ("", ""),
            ]
        )
    elif kind == "employee_training":
        duration = rng.choice([1, 1, 2, 3, 3, 4, 6])
        places = rng.randint(10, 60)
        start_d = next_weekday(raw_start, 0)
        level_zh = zh.LEVELS_ZH[level]
        row["title"] = f"Employee training: {level} {occupation} skills upgrading ({e_short})"
        row["title_zh"] = f"职工培训：{occupation_zh}（{level_zh}）技能提升（{e_short_zh}）"
        row["requirements"], row["requirements_zh"] = rng.choice(
            [
                (f"current employees in {activity} posts", f"现从事{activity_zh}岗位的在职职工"),
                (
                    f"current employees in {activity} posts; at least two years in the post for the {level} level",
                    f"现从事{activity_zh}岗位的在职职工；申报{level_zh}须在岗满两年",
                ),
                (
                    f"employees of {e_short} and supply-chain partners; at least one year in the post",
                    f"{e_short_zh}及供应链合作企业职工；在岗满一年",
                ),
            ]
        )
        row["description"] = (
            f"Part-time course taught by {s_short} teachers at {e_short}'s site, ending with the {level} "
            f"{occupation} skill-level assessment." + full_note
        )
        row["description_zh"] = (
            f"由{s_short_zh}教师到{e_short_zh}现场授课的非脱产培训，结业时参加{occupation_zh}（{level_zh}）"
            "职业技能等级认定。" + full_note_zh
        )
        row["subsidy"], row["subsidy_zh"] = rng.choice(
            [
                (
                    "vocational skill upgrading subsidy paid on obtaining the skill-level certificate",
                    "取得职业技能等级证书后可申领职业技能提升补贴",
                ),
                ("course fee paid by the enterprise from its staff education fund", "培训费由企业从职工教育经费中列支"),
                ("", ""),
            ]
        )
    else:  # community_course
        duration = rng.choice([1, 1, 2, 3])
        places = rng.randint(15, 60)
        start_d = next_weekday(raw_start, 5) if rng.random() < 0.5 else next_weekday(raw_start, 1)
        row["level"] = ""
        row["region"] = s_city
        row["title"], row["title_zh"] = rng.choice(
            [
                (f"Community course: introduction to {activity}", f"社区课程：{activity_zh}入门"),
                (f"Evening course for residents: basics of {activity}", f"居民夜校：{activity_zh}基础"),
                (f"Community skills course: {activity} for job seekers", f"社区技能课程：面向求职者的{activity_zh}"),
            ]
        )
        row["requirements"], row["requirements_zh"] = rng.choice(
            [
                (
                    "open to local residents aged 16 and over; no prior experience needed",
                    "面向16周岁及以上本地居民；无需相关基础",
                ),
                (
                    "open to unemployed and flexibly employed residents; register with ID card",
                    "面向失业人员和灵活就业居民；凭身份证报名",
                ),
                (
                    "open to residents and retired workers; safety briefing before practical sessions",
                    "面向社区居民和退休职工；实操课前进行安全教育",
                ),
            ]
        )
        if s_city == e_city:
            where, where_zh = f"practical sessions at {e_short}", f"在{e_short_zh}开展实操教学"
        else:
            where, where_zh = f"course materials from {e_short}", f"由{e_short_zh}提供课程资料"
        row["description"] = f"Public-interest course run by {s_name} with {where}." + full_note
        row["description_zh"] = f"由{s_name_zh}举办的公益课程，{where_zh}。" + full_note_zh
        row["subsidy"] = "free of charge (public-interest training purchased by the local government)"
        row["subsidy_zh"] = "免费（由地方政府购买的公益性培训）"
        contact = (
            f"training@{s_dom}.example.cn"
            if rng.random() < 0.6
            else f"{phone(rng, s_city)} (continuing education office)"
        )

    row.update(start_date=start_d.isoformat(), duration_months=str(duration), places=str(places), contact=contact)
    return row


def generate_offers(rng: random.Random, start: date) -> list[dict]:
    # One offer per enterprise first (so every enterprise, city and field appears), then weighted random picks.
    order = ENTERPRISES[:]
    rng.shuffle(order)
    kinds = [k for k, _ in KIND_WEIGHTS]
    picks = [(ent, rng.choice(ent[4]), kinds[i % len(kinds)]) for i, ent in enumerate(order)]
    while len(picks) < N_OFFERS:
        field = weighted(rng, FIELD_WEIGHTS)
        picks.append((rng.choice(enterprises_for(field)), field, weighted(rng, KIND_WEIGHTS)))
    rng.shuffle(picks)
    statuses = shuffled(rng, {"closed": round(0.2 * N_OFFERS)}, N_OFFERS, "open")
    return [
        make_offer(rng, i, ent, field, kind, status, start)
        for i, ((ent, field, kind), status) in enumerate(zip(picks, statuses, strict=False), start=1)
    ]


# --------------------------------------------------------------------------------------------------------------
# platforms.csv
# --------------------------------------------------------------------------------------------------------------

PLATFORM_COLUMNS = [
    "id",
    "name",
    "kind",
    "host",
    "field",
    "services",
    "region",
    "status",
    "partners",
    "level",
    "equipment",
    "booking_info",
    "fee_policy",
    "patent_number",
    "patent_type",
    "deal_mode",
    "price_info",
    "contact",
    "description",
    # Chinese versions of the texts (empty where the English is empty)
    "name_zh",
    "host_zh",
    "services_zh",
    "partners_zh",
    "equipment_zh",
    "booking_info_zh",
    "fee_policy_zh",
    "deal_mode_zh",
    "price_info_zh",
    "description_zh",
]


def patent_number(rng: random.Random, year: int, ptype: str) -> str:
    """Fictional CNIPA-style number: ZL + year + type digit + 7-digit serial + '.' + check digit."""
    digits = f"{year}{PATENT_TYPE_DIGIT[ptype]}{rng.randint(0, 9999999):07d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


def make_facility(rng: random.Random, field: str, kind: str) -> dict:
    data = FACILITY_DATA[field]
    data_zh = zh.FACILITY_DATA_ZH[field]
    row = dict.fromkeys(PLATFORM_COLUMNS, "")
    school_hosted = kind in ("training_base", "innovation_center") or rng.random() < 0.6
    if school_hosted:
        host = rng.choice([s for s in SCHOOLS if field in s[4]])
        host_name, host_short, dom, city = host[0], host[1], host[2], host[3]
        partner_pool = [e[0] for e in enterprises_for(field)]
    else:
        host = rng.choice(enterprises_for(field))
        host_name, host_short, dom, city = host[0], host[1], host[2], host[3]
        partner_pool = [s[0] for s in SCHOOLS if field in s[4]]
    partners = rng.sample(partner_pool, k=min(len(partner_pool), rng.randint(1, 3)))
    host_short_zh, city_zh = zh.SHORT_NAMES_ZH[host_name], zh.CITIES_ZH[city]

    if kind == "training_base":
        name = f"{city} {data['base']} Productive Training Base"
        name_zh = f"{city_zh}{data_zh['base']}生产性实训基地"
        services = [
            "practice teaching",
            "social training",
            *rng.sample(["real production", "equipment sharing", "testing and certification"], k=rng.randint(1, 2)),
        ]
        level = weighted(rng, [("national", 2), ("provincial", 4), ("municipal", 3), ("school", 2)])
        fee, fee_zh = rng.choice(
            [
                (
                    "public-interest training paid by government purchase; other use charged at cost",
                    "公益性培训通过政府购买服务支付；其他使用按成本收费",
                ),
                (
                    "free for students of partner colleges; enterprise training charged at cost",
                    "合作院校学生免费使用；企业培训按成本收费",
                ),
                (
                    "free for partner enterprises' apprentices; social training charged per published price list",
                    "合作企业学徒免费；社会培训按公示价格收费",
                ),
            ]
        )
        desc = (
            f"Shared productive training base hosted by {host_short}, used for practice teaching, apprentice "
            f"training and real production orders with partner enterprises."
        )
        desc_zh = (
            f"由{host_short_zh}承建的共享型生产性实训基地，用于实践教学和学徒培训，并与合作企业共同承接真实生产订单。"
        )
    elif kind == "rd_platform":
        name = f"{data['rd']} Engineering Research Centre"
        name_zh = f"{data_zh['rd']}工程研究中心"
        if not school_hosted:
            name = f"{host_short} {name}"
            name_zh = f"{host_short_zh}{name_zh}"
        services = [
            "joint R&D",
            "technical service",
            *rng.sample(["testing and certification", "equipment sharing", "social training"], k=rng.randint(0, 2)),
        ]
        level = weighted(rng, [("national", 1), ("provincial", 4), ("municipal", 4), ("school", 1)])
        fee, fee_zh = rng.choice(
            [
                (
                    "joint R&D under project contracts; technical services charged per contract",
                    "联合研发按项目合同执行；技术服务按合同收费",
                ),
                (
                    "free preliminary consultation; technical services charged at cost",
                    "初步咨询免费；技术服务按成本收费",
                ),
            ]
        )
        desc = (
            f"Applied research platform of {host_short} working with partner enterprises on "
            f"{data['rd'].lower()}, open to SMEs for joint projects and technical services."
        )
        desc_zh = (
            f"{host_short_zh}的应用研究平台，与合作企业围绕{data_zh['rd']}开展研究，"
            "面向中小企业开放联合攻关项目和技术服务。"
        )
    elif kind == "lab":
        name = data["lab"] if school_hosted else f"{host_short} {data['lab']}"
        name_zh = data_zh["lab"] if school_hosted else f"{host_short_zh}{data_zh['lab']}"
        services = [
            "testing and certification",
            "equipment sharing",
            *rng.sample(["technical service", "practice teaching"], k=rng.randint(0, 2)),
        ]
        level = weighted(rng, [("provincial", 2), ("municipal", 3), ("school", 4)])
        fee, fee_zh = rng.choice(
            [
                (
                    "testing charged per published price list; 20% discount for SMEs",
                    "检测按公示价格收费；中小企业优惠20%",
                ),
                (
                    "free for students of the host college; external users charged at cost",
                    "依托院校学生免费；外部用户按成本收费",
                ),
                (
                    "equipment time charged per hour at cost; free for partner enterprises",
                    "设备机时按成本计时收费；合作企业免费",
                ),
            ]
        )
        desc = f"Testing and measurement lab run by {host_short}; equipment can be booked by schools and enterprises."
        desc_zh = f"由{host_short_zh}运营的检测与计量实验室，设备可供学校和企业预约使用。"
    else:  # innovation_center
        name = f"{city} {data['inno']}"
        name_zh = f"{city_zh}{data_zh['inno']}"
        services = [
            "joint R&D",
            "technical service",
            "equipment sharing",
            *rng.sample(["social training", "practice teaching"], k=rng.randint(0, 2)),
        ]
        level = weighted(rng, [("national", 1), ("provincial", 3), ("municipal", 4)])
        fee, fee_zh = rng.choice(
            [
                (
                    "incubation space free for student teams; enterprise projects charged per contract",
                    "学生团队免费使用孵化空间；企业项目按合同收费",
                ),
                (
                    "public-interest services free; commissioned projects charged at cost",
                    "公益性服务免费；委托项目按成本收费",
                ),
            ]
        )
        desc = (
            f"Industry-education innovation centre led by {host_short} with partner enterprises, "
            "supporting pilot projects, student innovation teams and technology upgrades for SMEs."
        )
        desc_zh = (
            f"由{host_short_zh}牵头、联合合作企业共建的产教融合创新中心，支持中试项目、学生创新团队和中小企业技术升级。"
        )

    status = "open" if rng.random() < 0.9 else "closed"
    if status == "closed":
        desc += " Temporarily closed for equipment upgrade."
        desc_zh += "因设备升级暂停开放。"
    days = rng.choice([3, 5, 5, 7, 10])
    hours = rng.choice(["Mon–Fri 8:30–17:00", "Mon–Fri 8:00–16:30", "Mon–Sat 8:30–17:00"])
    contact = rng.choice([f"platform@{dom}.example.cn", phone(rng, city)])
    service_list = [s for s in SERVICES if s in services]
    equipment = rng.sample(data["equipment"], k=rng.randint(2, 3))
    row.update(
        name=name,
        kind=kind,
        host=host_name,
        field=field,
        services="; ".join(service_list),
        region=city,
        status=status,
        partners="; ".join(partners),
        level=level,
        equipment="; ".join(equipment),
        booking_info=f"book {days} working days ahead; {hours}",
        fee_policy=fee,
        contact=contact,
        description=desc,
        name_zh=name_zh,
        host_zh=zh.ORGANISATIONS_ZH[host_name],
        services_zh=zh_list(service_list, zh.SERVICES_ZH),
        partners_zh=zh_list(partners, zh.ORGANISATIONS_ZH),
        equipment_zh=zh_list(equipment, data_zh["equipment"]),
        booking_info_zh=f"须提前{days}个工作日预约{zh.LIST_SEP_ZH}开放时间：{zh.HOURS_ZH[hours]}",
        fee_policy_zh=fee_zh,
        description_zh=desc_zh,
    )
    return row


def make_patent(rng: random.Random, field: str, title: str, ptype: str, deal: str) -> dict:
    host = rng.choice([s for s in SCHOOLS if field in s[4]])
    host_name, host_short, dom, city = host[0], host[1], host[2], host[3]
    year = rng.randint(2019, 2024)
    # Figures are drawn before the outer choice, in the same order as when they were built inside it.
    if deal == "licence":
        fee = rng.choice([30, 50, 80, 100])
        price, price_zh = rng.choice(
            [(f"licence fee {fee},000 CNY/year", f"许可费{fee},000元/年"), ("negotiable", "面议")]
        )
    elif deal == "assignment":
        amount = rng.choice([150, 200, 300, 500])
        price, price_zh = rng.choice(
            [(f"assignment price {amount},000 CNY", f"转让价{amount},000元"), ("negotiable", "面议")]
        )
    elif deal == "open licence":
        share, minimum = rng.choice([2, 3, 4]), rng.choice([5, 10, 20])
        price = f"open licence: {share}% of net sales, minimum {minimum},000 CNY/year"
        price_zh = f"开放许可：按净销售额的{share}%收取许可费，每年不低于{minimum},000元"
    else:
        valuation = rng.choice([300, 500, 800])
        price = f"equity contribution; valuation about {valuation},000 CNY (negotiable)"
        price_zh = f"作价入股；估值约{valuation},000元（可协商）"
    ptype_text = {"invention": "invention patent", "utility_model": "utility model patent", "design": "design patent"}[
        ptype
    ]
    host_short_zh = zh.SHORT_NAMES_ZH[host_name]
    row = dict.fromkeys(PLATFORM_COLUMNS, "")
    services = ["technical service", "joint R&D"]
    row.update(
        name=title,
        kind="patent",
        host=host_name,
        field=field,
        services="; ".join(services),
        region=city,
        status="open" if rng.random() < 0.9 else "closed",
        patent_number=patent_number(rng, year, ptype),
        patent_type=ptype,
        deal_mode=deal,
        price_info=price,
        contact=f"tto@{dom}.example.cn",
        description=(
            f"Granted {ptype_text} (filed {year}) held by {host_short}; the inventors offer "
            "technical support for implementation."
        ),
        name_zh=zh.PATENT_TITLES_ZH[title],
        host_zh=zh.ORGANISATIONS_ZH[host_name],
        services_zh=zh_list(services, zh.SERVICES_ZH),
        deal_mode_zh=zh.DEAL_MODES_ZH[deal],
        price_info_zh=price_zh,
        description_zh=(
            f"{host_short_zh}持有的已授权{zh.PATENT_TYPES_ZH[ptype]}（{year}年申请），发明人可为专利实施提供技术支持。"
        ),
    )
    if row["status"] == "closed":
        row["description"] += " No longer available: already licensed exclusively."
        row["description_zh"] += "该专利已独占许可，不再对外提供。"
    return row


def generate_platforms(rng: random.Random) -> list[dict]:
    facility_kinds = ["training_base", "rd_platform", "lab", "innovation_center"]
    combos = [(f, k) for f in FIELDS for k in facility_kinds]
    combos = rng.sample(combos, N_FACILITIES)
    rows = [make_facility(rng, f, k) for f, k in combos]
    patents = [(f, t, p) for f in FIELDS for t, p in PATENT_TITLES[f]]
    chosen = rng.sample(patents, min(N_PATENTS, len(patents)))
    deals = shuffled(rng, {"assignment": 5, "open licence": 4, "equity": 3}, len(chosen), "licence")
    rows += [make_patent(rng, f, t, p, deal) for (f, t, p), deal in zip(chosen, deals, strict=False)]
    rng.shuffle(rows)
    for i, row in enumerate(rows, start=1):
        row["id"] = f"PL-{i:04d}"
    return rows


# --------------------------------------------------------------------------------------------------------------
# consultation_slots.csv
# --------------------------------------------------------------------------------------------------------------

SLOT_COLUMNS = [
    "id",
    "expert",
    "organisation",
    "field",
    "topics",
    "start",
    "duration_min",
    "mode",
    "status",
    "title",
    "location",
    # Chinese versions of the texts
    "expert_zh",
    "organisation_zh",
    "topics_zh",
    "title_zh",
    "location_zh",
]
LUNCH = (time(12, 0), time(13, 0))


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def generate_slots(rng: random.Random, start: date) -> list[dict]:
    monday = start - timedelta(days=start.weekday())
    working_days = [monday + timedelta(days=w * 7 + d) for w in range(SLOT_WEEKS) for d in range(5)]
    working_days = [d for d in working_days if d >= start]
    half_hours = [time(h, m) for h in range(9, 17) for m in (0, 30)]
    rows = []
    for name, title, org, city, field, topics in EXPERTS:
        name_zh, title_zh = zh.EXPERTS_ZH[name]
        org_zh = zh.ORGANISATIONS_ZH[org]
        preferred = rng.sample(range(5), 2)
        days = [d for d in working_days if d.weekday() in preferred]
        others = [d for d in working_days if d.weekday() not in preferred]
        taken: dict[date, list[tuple[int, int]]] = {}
        target = rng.randint(12, 15)
        count = 0
        tries = 0
        while count < target and tries < 1000:
            tries += 1
            day = rng.choice(days) if rng.random() < 0.85 else rng.choice(others)
            begin = rng.choice(half_hours)
            duration = rng.choice([30, 45, 60, 60])
            b, e = _minutes(begin), _minutes(begin) + duration
            if e > 17 * 60 or (b < _minutes(LUNCH[1]) and e > _minutes(LUNCH[0])):
                continue
            if any(b < te and tb < e for tb, te in taken.get(day, [])):
                continue
            taken.setdefault(day, []).append((b, e))
            count += 1
            mode = "online" if rng.random() < 0.45 else "onsite"
            if mode == "online":
                location = "Tencent Meeting link sent after booking"
                location_zh = zh.ONLINE_LOCATION_ZH
            else:
                # All numbers are drawn first, in the order the English list used to draw them, then one is chosen.
                floor, number, building = rng.randint(1, 5), rng.randint(1, 20), rng.choice("ABCD")
                meeting, consultation = rng.randint(1, 6), rng.randint(1, 3)
                room, room_zh = rng.choice(
                    [
                        (f"Room {floor}{number:02d}, Building {building}", f"{building}栋{floor}{number:02d}室"),
                        (f"Meeting Room {meeting}", f"{meeting}号会议室"),
                        (f"Consultation Room {consultation}, Service Hall", f"服务大厅{consultation}号咨询室"),
                    ]
                )
                location = f"{room}, {org} ({city})"
                # Chinese: room after the organisation; the city only where the organisation's name lacks it
                city_zh = zh.CITIES_ZH[city]
                location_zh = f"{org_zh}{room_zh}" + ("" if city_zh in org_zh else f"（{city_zh}）")
            rows.append(
                {
                    "expert": name,
                    "organisation": org,
                    "field": field,
                    "topics": "; ".join(topics),
                    "start": datetime.combine(day, begin, CST).isoformat(),
                    "duration_min": str(duration),
                    "mode": mode,
                    "status": "open",
                    "title": title,
                    "location": location,
                    "expert_zh": name_zh,
                    "organisation_zh": org_zh,
                    "topics_zh": zh_list(topics, zh.TOPICS_ZH),
                    "title_zh": title_zh,
                    "location_zh": location_zh,
                }
            )
    rows.sort(key=lambda r: (r["start"], r["expert"]))
    statuses = shuffled(
        rng, {"booked": round(0.10 * len(rows)), "cancelled": round(0.03 * len(rows))}, len(rows), "open"
    )
    for row, status in zip(rows, statuses, strict=False):
        row["status"] = status
    return [{"id": f"CS-{i:04d}", **row} for i, row in enumerate(rows, start=1)]


# --------------------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------------------


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate sample cooperation records (fictional) as CSV files.")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2027, 1, 4),
        help="first day of the consultation calendar, ISO date (default 2027-01-04, a Monday)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="output folder (default: this script's folder)",
    )
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    # Independent streams per file, so changing one generator does not reshuffle the others.
    offers = generate_offers(random.Random(f"{args.seed}-offers"), args.start)
    platforms = generate_platforms(random.Random(f"{args.seed}-platforms"))
    slots = generate_slots(random.Random(f"{args.seed}-slots"), args.start)
    write_csv(args.out / "training_offers.csv", OFFER_COLUMNS, offers)
    write_csv(args.out / "platforms.csv", PLATFORM_COLUMNS, platforms)
    write_csv(args.out / "consultation_slots.csv", SLOT_COLUMNS, slots)
    print(f"wrote {len(offers)} offers, {len(platforms)} platforms, {len(slots)} consultation slots to {args.out}")


if __name__ == "__main__":
    main()
