"""Made-up names for the synthetic county: given and family names, nicknames, spelling variants."""

from __future__ import annotations

# Formal given name -> nicknames an agency might record instead (Bill for William, Kate for ...).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy"), "Katherine": ("Kate", "Kathy", "Katie"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"), "Robert": ("Bob", "Rob", "Bobby"),
    "Richard": ("Rich", "Ricky"), "James": ("Jim", "Jimmy", "Jamie"),
    "Michael": ("Mike", "Mick"), "Margaret": ("Maggie", "Peggy", "Meg"),
    "Thomas": ("Tom", "Tommy"), "Christopher": ("Chris", "Kit"),
    "Jennifer": ("Jen", "Jenny"), "Rebecca": ("Becky", "Becca"),
    "Alexander": ("Alex", "Sandy"), "Alexandra": ("Alex", "Lexi"),
    "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",), "Samuel": ("Sam", "Sammy"),
    "Samantha": ("Sam", "Sammy"), "Victoria": ("Vicky", "Tori"), "Anthony": ("Tony", "Ant"),
    "Joseph": ("Joe", "Joey"), "Patricia": ("Pat", "Trish"), "Edward": ("Ed", "Eddie", "Ted"),
    "Susan": ("Sue", "Susie"), "Stephen": ("Steve",), "Nicholas": ("Nick", "Nicky"),
    "Jonathan": ("Jon", "Jonny"), "Benjamin": ("Ben", "Benny"), "Charlotte": ("Charlie", "Lottie"),
    "Deborah": ("Debbie", "Deb"), "Jacqueline": ("Jackie", "Jacqui"),
    "Frederick": ("Fred", "Freddie"), "Abigail": ("Abby", "Gail"), "Josephine": ("Jo", "Josie"),
    "Olivia": ("Liv", "Livvy"), "Timothy": ("Tim", "Timmy"), "Gregory": ("Greg",),
    "Kenneth": ("Ken", "Kenny"), "Andrew": ("Andy", "Drew"), "David": ("Dave", "Davy"),
    "Peter": ("Pete",), "Philip": ("Phil",), "Raymond": ("Ray",), "Ronald": ("Ron", "Ronnie"),
    "Leonard": ("Len", "Lenny"), "Christine": ("Chris", "Chrissie"), "Theresa": ("Tess", "Terri"),
    "Sophia": ("Sophie",), "Natalie": ("Nat",), "Jessica": ("Jess", "Jessie"),
    "Gemma": ("Gem",), "Nathan": ("Nate",), "Anthea": ("Thea",), "Harriet": ("Hattie",),
    "Eleanor": ("Ellie", "Nell"), "Catherine": ("Cathy", "Kate"), "Mohammed": ("Mo",),
    "Zachary": ("Zach",), "Lawrence": ("Larry", "Laurie"), "Gareth": ("Gaz",),
    "Terence": ("Terry",), "Barbara": ("Babs",), "Florence": ("Flo",),
}

FORMAL_GIVEN_FEMALE = (
    "Katherine", "Elizabeth", "Margaret", "Jennifer", "Rebecca", "Alexandra", "Samantha",
    "Victoria", "Patricia", "Susan", "Charlotte", "Deborah", "Jacqueline", "Abigail",
    "Josephine", "Olivia", "Christine", "Theresa", "Sophia", "Natalie", "Jessica", "Gemma",
    "Anthea", "Harriet", "Eleanor", "Catherine", "Barbara", "Florence",
)
FORMAL_GIVEN_MALE = (
    "William", "Robert", "Richard", "James", "Michael", "Thomas", "Christopher", "Alexander",
    "Daniel", "Matthew", "Samuel", "Anthony", "Joseph", "Edward", "Stephen", "Nicholas",
    "Jonathan", "Benjamin", "Frederick", "Timothy", "Gregory", "Kenneth", "Andrew", "David",
    "Peter", "Philip", "Raymond", "Ronald", "Leonard", "Nathan", "Mohammed", "Zachary",
    "Lawrence", "Gareth", "Terence",
)
OTHER_GIVEN_FEMALE = (
    "Amelia", "Isla", "Grace", "Emily", "Ella", "Mia", "Ava", "Poppy", "Freya", "Lucy", "Chloe",
    "Hannah", "Lauren", "Megan", "Kelly", "Donna", "Tracey", "Claire", "Karen", "Sharon",
    "Stacey", "Amy", "Zoe", "Jade", "Leanne", "Kirsty", "Rachel", "Sarah", "Laura", "Nicola",
    "Helen", "Joanne", "Emma", "Lisa", "Ewa", "Agnieszka", "Ioana", "Fatima", "Zainab",
    "Sunita", "Deepa", "Ama", "Ngozi", "Nadia", "Sofia", "Noor", "Layla", "Aisha", "Priya",
    "Chantelle", "Demi", "Shannon", "Paige", "Tegan", "Maria", "Ana", "Yasmin", "Mei",
)
OTHER_GIVEN_MALE = (
    "Oliver", "Noah", "Jack", "Harry", "Leo", "George", "Oscar", "Arthur", "Charlie", "Connor",
    "Kieran", "Liam", "Ryan", "Jordan", "Shane", "Dean", "Wayne", "Gary", "Lee", "Craig",
    "Stuart", "Neil", "Mark", "Paul", "Ian", "Adrian", "Simon", "Kevin", "Carl", "Piotr",
    "Tomasz", "Andrei", "Mihai", "Bogdan", "Ahmed", "Hassan", "Amir", "Yusuf", "Omar", "Imran",
    "Rajesh", "Arjun", "Sanjay", "Kofi", "Chidi", "Tariq", "Lucas", "Mateusz", "Ali", "Bilal",
    "Reece", "Tyler", "Callum", "Jamal", "Darren", "Luis", "Wei",
)
GIVEN_FEMALE = FORMAL_GIVEN_FEMALE + OTHER_GIVEN_FEMALE
GIVEN_MALE = FORMAL_GIVEN_MALE + OTHER_GIVEN_MALE

FAMILY_NAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
    "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
    "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
    "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
    "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews",
    "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day",
    "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson",
    "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells",
    "Armstrong", "Francis", "Rees", "Hayes", "Hudson", "Newman", "Barrett", "Webster", "Hunter",
    "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dennis", "Kowalski", "Nowak",
    "Wisniewski", "Popescu", "Ionescu", "Okafor", "Mensah", "Osei", "Adeyemi", "Nguyen", "Chen",
    "Wong", "Sharma", "Shah", "Mistry", "Chauhan", "Rahman", "Iqbal", "Malik", "Hassan",
    "Ferreira", "Silva", "Santos", "Costa", "Rossi", "O'Connor", "MacDonald", "Fraser",
    "Hamilton-Smith", "Lloyd-Jones", "Ashworth-Brown", "Reid", "Stephens", "Smyth", "Browne",
    "Thomson", "Philips", "McDonald", "Grey", "Reed", "Byrne", "Doherty", "Quinn", "Nash",
)

# Spellings one agency records and another does not (name-matching must cope with both).
SPELLING_VARIANTS: dict[str, tuple[str, ...]] = {
    "Smith": ("Smyth",), "Smyth": ("Smith",), "Thompson": ("Thomson",), "Thomson": ("Thompson",),
    "Clarke": ("Clark",), "Clark": ("Clarke",), "Stephens": ("Stevens",), "Stevens": ("Stephens",),
    "Phillips": ("Philips",), "Philips": ("Phillips",), "MacDonald": ("McDonald", "Macdonald"),
    "McDonald": ("MacDonald",), "Reid": ("Reed", "Read"), "Reed": ("Reid",), "Gray": ("Grey",),
    "Grey": ("Gray",), "Brown": ("Browne",), "Browne": ("Brown",), "Davis": ("Davies",),
    "Davies": ("Davis",), "Mohammed": ("Muhammad", "Mohammad"), "Hussain": ("Hussein",),
    "Katherine": ("Catherine", "Kathryn"), "Catherine": ("Katherine", "Kathryn"),
    "Stephen": ("Steven",), "Sarah": ("Sara",), "Zainab": ("Zaynab",), "Yasmin": ("Yasmine",),
    "Jacqueline": ("Jaqueline",), "Philip": ("Phillip",), "Ahmed": ("Ahmad",),
    "O'Brien": ("OBrien", "O Brien"), "O'Connor": ("OConnor", "O Connor"),
}

STREET_FIRST = (
    "Foxglove", "Meadow", "Elm", "Hawthorn", "Church", "Mill", "Station", "Beech", "Chestnut",
    "Orchard", "Kingfisher", "Heather", "Willow", "Oak", "Birch", "Larch", "Rowan", "Juniper",
    "Bramble", "Lavender", "Primrose", "Clover", "Sandy", "Brook", "Wey", "Mole", "Bourne",
    "Pond", "Common", "Manor", "Priory", "Abbey", "Vicarage", "Farm", "Park", "Victoria",
    "Albert", "Queens", "Kings", "Windsor", "Chalk", "Downs", "Ridge", "Heath", "Furze",
    "Gorse", "Bracken", "Holly", "Yew", "Cedar", "Poplar", "Sycamore", "Linden", "Maple",
    "Hazel", "Alder", "Ashdown", "Bluebell", "Cowslip", "Daisy", "Swallow", "Wren", "Robin",
    "Lark", "Heron", "Nightingale", "Falcon", "Badger", "Otter", "Saxon", "Tudor", "Regent",
    "Spring", "Well", "Forge", "Tanners", "Weavers", "Brewers", "Chandlers", "Ferry", "Bridge",
)
STREET_SUFFIX = (
    "Road", "Road", "Road", "Close", "Close", "Lane", "Lane", "Avenue", "Way", "Drive",
    "Gardens", "Crescent", "Place", "Grove", "Rise", "Walk", "Mews", "Street", "Hill", "View",
)
BLOCK_NAMES = (
    "Court", "House", "Lodge", "Heights", "Point", "Mansions",
)
PUBLIC_PLACES = (
    "Recreation Ground", "Park", "Skate Park", "Shopping Parade", "Station Car Park",
    "High Street", "Bus Station", "Playing Fields", "Community Centre", "Retail Park Car Park",
    "Allotments", "Towpath", "Leisure Centre", "Precinct", "Library Gardens", "Woods",
)

# Random given names for the staff of partner agencies (kept apart from residents' names).
STAFF_GIVEN = (
    "Alex", "Sam", "Jo", "Chris", "Priya", "Tom", "Grace", "Hannah", "Mark", "Ruth", "Dev",
    "Claire", "Nina", "Oliver", "Fiona", "Rob", "Helen", "Gareth", "Amira", "Luke", "Imogen",
    "Kwame", "Sian", "Marcus", "Bethan", "Raj", "Lucy", "Owen", "Tasha", "Ellen", "Kieran",
)
STAFF_FAMILY = (
    "Morgan", "Taylor", "Shah", "Bennett", "Okafor", "Price", "Ellis", "Collins", "Patel",
    "Hughes", "Fraser", "Doyle", "Khan", "Lambert", "Wade", "Hart", "Mensah", "Sutton", "Frost",
    "Holt", "Barker", "Rhodes", "Pryce", "Lowry", "Kerr", "Begum", "Nolan", "Quayle", "Vance",
)
