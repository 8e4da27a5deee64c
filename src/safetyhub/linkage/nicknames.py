"""Given names that name the same person (Bill for William, Kate for Katherine), as one key.

A shipped table of common English nicknames and spelling variants; a name not in it is its
own key. Nicknames shared by several names (Sam, Chris, Alex) join those names into one group,
which is what linkage wants: either spelling may stand for the other person's record.
"""

from __future__ import annotations

from functools import lru_cache

NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("william", "bill", "will", "billy", "willy", "liam", "wills"),
    ("katherine", "kate", "kathy", "katie", "kath", "kathryn", "catherine", "cathy", "kat",
     "kitty", "katharine", "kathleen", "cath"),
    ("elizabeth", "liz", "beth", "lizzie", "betty", "libby", "eliza", "bess", "lisa", "liza",
     "elisabeth", "betsy", "lizzy"),
    ("robert", "bob", "rob", "bobby", "robbie", "bert"),
    ("richard", "rich", "ricky", "dick", "rick", "richie"),
    ("james", "jim", "jimmy", "jamie", "jimbo"),
    ("michael", "mike", "mick", "mickey", "mikey", "micky"),
    ("margaret", "maggie", "peggy", "meg", "marge", "madge", "maisie", "margo", "greta"),
    ("thomas", "tom", "tommy", "thom"),
    ("christopher", "chris", "kit", "topher", "christine", "chrissie", "christina", "tina",
     "kristina", "kristine", "chrissy"),
    ("jennifer", "jen", "jenny", "jenna", "jenni"),
    ("rebecca", "becky", "becca", "bex"),
    ("alexander", "alex", "sandy", "xander", "alexandra", "lexi", "alexa", "sasha", "alec",
     "alexis"),
    ("daniel", "dan", "danny", "dani", "danielle"),
    ("matthew", "matt", "matty", "mat"),
    ("samuel", "sam", "sammy", "samantha", "sammie"),
    ("victoria", "vicky", "tori", "vicki", "vikki"),
    ("anthony", "tony", "ant", "antony"),
    ("joseph", "joe", "joey", "jo", "josephine", "josie", "joanne", "joanna", "joann", "jojo"),
    ("patricia", "pat", "trish", "patsy", "tricia", "patrick", "paddy"),
    ("edward", "ed", "eddie", "ted", "teddy", "ned", "edwin", "eddy"),
    ("susan", "sue", "susie", "suzanne", "susanne", "suzy", "susannah"),
    ("stephen", "steve", "steven", "stevie", "stephan", "stefan"),
    ("nicholas", "nick", "nicky", "nico", "nicola", "nikki", "nicole"),
    ("jonathan", "jon", "jonny", "johnny", "john", "jack", "johnathan", "jonathon"),
    ("benjamin", "ben", "benny", "benji"),
    ("charlotte", "charlie", "lottie", "charles", "chas", "chuck", "chaz", "carl", "carla"),
    ("deborah", "debbie", "deb", "debra", "debby"),
    ("jacqueline", "jackie", "jacqui", "jaqueline", "jacky"),
    ("frederick", "fred", "freddie", "freddy", "frederic"),
    ("abigail", "abby", "gail", "abbie"),
    ("olivia", "liv", "livvy", "livia"),
    ("timothy", "tim", "timmy"),
    ("gregory", "greg", "gregor"),
    ("kenneth", "ken", "kenny"),
    ("andrew", "andy", "drew", "andi"),
    ("david", "dave", "davy", "davie", "dai"),
    ("peter", "pete", "petey"),
    ("philip", "phil", "phillip", "pip"),
    ("raymond", "ray"),
    ("ronald", "ron", "ronnie"),
    ("leonard", "len", "lenny", "leo", "leon"),
    ("theresa", "tess", "terri", "teresa", "tessa", "terry", "terence", "terrence"),
    ("sophia", "sophie", "sofia"),
    ("natalie", "nat", "natalia", "nathalie"),
    ("jessica", "jess", "jessie"),
    ("gemma", "gem", "jemma"),
    ("nathan", "nate", "nathaniel"),
    ("anthea", "thea"),
    ("harriet", "hattie", "harry", "henry", "hal", "hank"),
    ("eleanor", "ellie", "nell", "nellie", "elle", "elinor", "ella", "ellen", "helen", "lena"),
    ("mohammed", "mo", "muhammad", "mohammad", "mohamed", "muhammed"),
    ("zachary", "zach", "zak", "zack"),
    ("lawrence", "larry", "laurie", "laurence"),
    ("gareth", "gaz", "gary", "garry"),
    ("barbara", "babs", "barb", "barbie"),
    ("florence", "flo", "flossie"),
    ("sarah", "sara", "sally", "sadie"),
    ("zainab", "zaynab"),
    ("yasmin", "yasmine", "jasmine", "jasmin"),
    ("ahmed", "ahmad"),
    ("mary", "molly", "polly", "mae", "maria", "marie"),
    ("ann", "anne", "annie", "anna", "hannah", "nancy", "anita"),
    ("dorothy", "dot", "dottie", "dolly"),
    ("gerald", "gerry", "jerry", "gerard"),
    ("douglas", "doug", "dougie"),
    ("donald", "don", "donny"),
    ("albert", "al", "alb", "bertie", "alan", "allan", "allen", "alfred", "alf", "alfie"),
    ("arthur", "art", "artie"),
    ("walter", "walt", "wally"),
    ("francis", "frank", "frankie", "fran", "frances", "francesca"),
    ("geoffrey", "geoff", "jeff", "jeffrey", "jeffery"),
    ("louise", "lou", "louisa", "lulu"),
    ("amanda", "mandy", "manda"),
    ("caroline", "carrie", "carol", "carole", "lina"),
    ("pamela", "pam", "pammy"),
    ("penelope", "penny", "pen"),
    ("rosemary", "rose", "rosie", "rosa"),
    ("valerie", "val"),
    ("vincent", "vince", "vinny"),
    ("wilfred", "wilf"),
    ("kimberley", "kim", "kimberly"),
    ("stuart", "stu", "stewart"),
    ("derek", "del", "derrick"),
    ("marcus", "marc", "mark", "markus"),
    ("oliver", "ollie", "olly"),
    ("isabel", "isabella", "izzy", "bella", "isobel", "isabelle"),
    ("emily", "em", "emma", "emmy"),
    ("lucy", "lucie", "lucinda"),
    ("megan", "meghan"),
    ("joshua", "josh"),
    ("reginald", "reg", "reggie"),
    ("sebastian", "seb", "bastian"),
    ("tobias", "toby"),
    ("virginia", "ginny", "ginger"),
    ("wendy", "gwendolyn", "gwen"),
    ("agnieszka", "aga"),
    ("tomasz", "tomek"),
    ("piotr", "piotrek"),
)


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    """Name -> group key, with groups sharing a name joined (union-find)."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for group in NICKNAME_GROUPS:
        root = find(group[0])
        for name in group[1:]:
            other = find(name)
            if other != root:
                parent[other] = root
    return {name: find(name) for name in parent}


def canonical_given_name(name: str | None) -> str | None:
    """The group key of a cleaned given name (itself when it has no known nicknames)."""
    if not name:
        return None
    return _canonical().get(name, name)
