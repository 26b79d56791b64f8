"""The words and patterns around a name that tell who it is: a student, an adult, a character.

Word lists are case-folded. Every pattern is matched only inside a bounded window around one
word, so none can slow a long line down.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Before a name, a title makes it an adult's (or a character's: 'Friar', 'Justice'; a saint's
# or a place's: 'Santa Inés', 'San Marcos').
TITLES = _words("""
    mr mrs ms miss mx dr prof professor coach principal superintendent teacher counselor
    counsellor nurse sister father officer madam sir dean mister señor señora sra sr senator
    president judge justice captain pastor rabbi reverend rev friar saint st king queen prince
    princess lord lady general governor chief emperor pope maestra maestro profesora profesor
    ap san santa santo sao""")
# The titles that still mark an adult in a line typed all in lower case ('ms adeyemi').
SHORT_TITLES = _words("mr mrs ms miss mx dr")
# After a name: it speaks or acts, so it is a person ("Will said", "Grace wrote").
SPEECH_AFTER = _words("""
    said says asked asks answered answers replied replies explained explains shared shares
    shouted shouts whispered whispers added adds wrote writes argued argues responded responds
    suggested suggests told tells volunteered volunteers insisted insists agreed agrees
    disagreed disagrees nodded nods yelled yells muttered mutters mumbled mumbles interrupted
    interrupts predicted predicts claimed claims laughed laughs smiled smiles giggled noticed
    notices counted counts solved solves presented presents raised raises called calls pointed
    points struggled struggles finished finishes refused refuses complained complains cried
    cries whined guessed guesses exclaimed exclaims stated states offered offers repeated
    repeats corrected corrects erased erases blurted blurts sighed""")
# After a common word that is also a name, a verb only a person takes ("Will did", "Wren has").
ACTS_AFTER = SPEECH_AFTER | _words("""
    did does didn't doesn't has had hasn't went goes got gets sat sits stood stands worked
    works drew draws built builds used uses tried tries started starts stopped stops missed
    misses left leaves came comes took takes made makes gave gives showed shows chose chooses
    needed needs wanted wants kept keeps looked looks turned turns moved moves walked walks
    ran runs read reads wrote spent spends seemed seems""")
# Before a name: someone speaks to it or acts on it ("asked Will", "called on Priya").
SPEECH_BEFORE = _words("""
    asked told praised thanked reminded invited prompted redirected helped paired partnered
    seated encouraged complimented questioned warned named nicknamed called hugged
    congratulated sent ask tell praise thank remind invite prompt redirect help pair""")
CALLED = _words("called calls call calling relied checked waited")
DETERMINERS = _words("the a an this that these those of our your my their his her its amazing "
                     "saving")
# Given names that are also months or seasons, places or planets: names only where a name fits.
CALENDAR = _words("april may june july august summer autumn winter")
# Weekdays shortened ('Thu 11/6') and colours (groups and tables: 'the Blue group'): like the
# calendar words, names only where a name is certain.
NAMED_LIKE_CALENDAR = CALENDAR | _words("""
    mon tue tues wed thu thur thurs fri sat sun red blue green gold yellow orange purple
    silver""")
PLACES = _words("""
    jordan austin madison savannah charlotte jackson georgia virginia dakota india china kenya
    paris london phoenix brooklyn orlando denver dallas houston carolina memphis sydney florence
    chelsea camden aurora columbia asia africa israel cairo berlin vienna""")
PLACE_BEFORE = _words("in to from at near visited visit of outside around across toward "
                      "towards through into via")
DATE_BEFORE = PLACE_BEFORE | _words("on since until till by during early late mid this next "
                                    "last every each before after")
# Capitalised at the start of a sentence, these say nothing of the word after them.
FUNCTION_WORDS = DETERMINERS | _words("in on at when then after before today yesterday and but "
                                      "so if as while during with for to from by next later")
# Common Spanish words (accents removed, as word keys are), some of them given names in the
# lists ('Ella', 'Una', 'Sala'): in a line of Spanish they are words. Two of them in a line
# make it Spanish; one before a number is a label ('Sala 7').
SPANISH = _words("""
    el la los las un una unos unas del al de y o en con por para sin sobre entre que como
    cuando donde este esta esto estos estas ese esa eso ella ellas ellos yo usted su sus mi mis
    es son estan era fue hay muy mas menos tambien pero porque si todo todos toda todas otro
    otra cada hoy ayer lunes martes miercoles jueves viernes sabado domingo enero febrero marzo
    abril mayo junio julio agosto septiembre octubre noviembre diciembre sala salon aula clase
    grado escuela maestros estudiante estudiantes nino nina ninos ninas semana recorrido
    lectura escritura ciencias""")
# After one of these in a line of Spanish, a word in lower case is a noun ('la luz').
SPANISH_DETERMINERS = _words("el la los las un una unos unas su sus mi mis esta este estas "
                             "estos cada")
FAMILY_AFTER = _words("family families twins triplets quadruplets siblings kids children "
                      "household")
CONTRACTIONS = ("ve", "ll", "d", "re", "m", "t", "s")

# A word problem's characters: "Jamal has 12 marbles", "Bill's bike shop charges $12"; not a
# child's record ("Devonte has missed 14 days", "had 3 referrals").
WORD_PROBLEM = re.compile(
    r"(?:'s|’s)?(?:\s+(?:and|&)\s+[A-Z]\w*)?(?:\s+\w+){0,2}?\s+(?:has|had|have|buys|bought|"
    r"sells|sold|earns|earned|saves|saved|spends|spent|shares?|gives|gave|wants|needs|runs|ran|"
    r"walks|walked|drives|drove|reads|baked|bakes|collects|collected|plants|planted|picks|"
    r"picked|pays|paid|cuts|fills|measures|saving|earning|selling|buying|making|makes|baking|"
    r"spending|takes|took|gets|got|eats|ate|charges|divides|mixes|jogs|rides|swims|orders)\b"
    r"[^.?!]{0,40}?(?:\$\d|\d+/\d+|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twelve|half|a dozen)\s+(?:more\s+|of\s+(?:the|her|his)\s+)?(?!turns\b|(?:days|weeks|months|"
    r"years|absences|tardies|referrals|times|minutes|hours|periods|classes|sessions)\b)"
    r"[a-z]{2,}s\b)")
PROBLEM_AFTER = _words("problem problems task tasks question questions story scenario")
# Within three words after a name: a word problem's props ('Bill's bike shop', 'the Jamal apples').
PROBLEM_PROPS = _words("problem problems shop store stand bakery batches apples cookies marbles "
                       "pizza pizzas sandwich sandwiches")
# After a possessive name: a law or a method named after someone ('Boyle's law').
EPONYM_AFTER = _words("""
    law laws theorem principle equation constant rule method triangle square diagram paradox
    taxonomy hierarchy model cycle effect experiment scale formula sequence conjecture""")
# A family member: the name after it is a parent's ("her mother, Linda Alvarez").
KIN = re.compile(r"\b(?:mother|mom|mum|mama|father|dad|papa|parent|parents|guardian|grandmother|"
                 r"grandma|granny|grandfather|grandpa|aunt|uncle|stepmother|stepfather|stepmom|"
                 r"stepdad|caregiver|foster parent|case ?worker|case manager|(?:emergency|shelter|"
                 r"family) contact)(?:'s|’s)?\s*[,:(]?\s*(?:is\s+|named\s+|"
                 r"was\s+|called\s+)?$", re.IGNORECASE)
# What KIN and KIN_AFTER need in a lower-cased line: most lines have none, and skip both.
KIN_HINTS = ("mom", "mot", "mum", "mama", "father", "dad", "papa", "parent", "guardian", "grand",
             "aunt", "uncle", "step", "care", "case", "contact")
# After a name, whose parent it is: 'Mr. Haddad (parent of ...)', 'Kaimana (Keoni's dad)',
# 'Rosa Diaz, Leo's mother'.
KIN_AFTER = re.compile(
    r"\s*(?:[,(]\s*|\s(?:is|was)\s+)(?:the\s+|a\s+)?(?:[^\W\d_]+(?:'s|’s|'|’)\s+)?(?:mother|mom|"
    r"mum|father|dad|parent|guardian|grandmother|grandma|grandfather|grandpa|aunt|uncle|"
    r"stepmother|stepfather|stepmom|stepdad|caregiver|foster parent)\b(?!\s*[,:]?\s*(?-i:[A-Z]))",
    re.IGNORECASE)
_ROLE = (r"(?:teacher|coach|coordinator|principal|counsel+or|director|specialist|"
         r"paraprofessional|para|aide|nurse|librarian|secretary|engineer|custodian|"
         r"interventionist|psychologist|superintendent|administrator|colleague|mentor|co-teacher|"
         r"staff|registrar|clerk|consultant|supervisor|instructor|tutor|"
         r"facilitator|leader|author|scientist|researcher)s?")
# Around a name, its role at work: an adult ("Jenna Morales, the district's science coordinator").
ADULT_AFTER = re.compile(
    r"[\"”'’*]?\s*(?:[,(–—-]|\bis\b|\bwas\b)\s*(?:(?:the|our|my|his|her|their|a|an|district's|school's)\s+)?"
    rf"(?:[\w'’-]+\s+){{0,3}}?{_ROLE}\b|\s*,?\s*who\s+(?:taught|teaches|coached|coaches|works|"
    r"worked|runs|ran|leads|led)\b"
    # 'Grace Liu from the district assessment office'
    rf"|\s+from\s+(?:the|our|a)\s+(?:[\w'’-]+\s+){{0,3}}?(?:office|department|team|{_ROLE})\b",
    re.IGNORECASE)
# Around a name, its work: an author or a speaker of a source ('the Kevin Henkes book',
# 'a letter attributed to ...', 'Sherry Parrish, *Number Talks*'), not a student.
WORK_AFTER = re.compile(r"\s+(?:picture\s+)?(?:books?|novels?|poems?|series|biography|memoir)\b"
                        r"|(?:,\s*|(?:'s|’s)\s+)\*[^*\n]{1,80}\*", re.IGNORECASE)
WORK_BEFORE = re.compile(r"\b(?:attributed\s+to|(?:a|the)\s+speech\s+by|quoted\s+from|"
                         r"(?:a|an)\s+(?:quotation|excerpt)\s+from)\s+$", re.IGNORECASE)
# Before a name, one role ('the math coach, Jenna Morales'); several ('Dear teachers, Dmitri
# was sick') are who is addressed, not who is named.
ADULT_BEFORE = re.compile(rf"\b(?:{_ROLE.removesuffix('s?')}|office|department|team)\s*[,(:]\s*$",
                          re.IGNORECASE)
# After a name, the child's age or grade in brackets: 'Tomás (9)', 'Nkechi (K)', 'Ana (4th)'.
AGE_AFTER = re.compile(r" \((?:\d{1,2}|K|age \d{1,2}|\d{1,2}(?:st|nd|rd|th)|gr\.? ?\d{1,2}|"
                       r"grade \d{1,2}|\d{1,2} (?:yrs?|years?|años))\)")
CITATION_AFTER = re.compile(r"(?:'s|’s)?(?:,\s*|\s\()(?:19|20)\d{2}\b|\s+et al\b")
COURT = re.compile(r"\bv(?:s)?\.\s*$|^\s+vs?\.\s")
TIMESTAMP = re.compile(r"\d{1,2}:\d{2}\s*$")
LIST_MARK = re.compile(r"(?:^|\s)\d{1,2}[.)]$")
# After a name and a comma, the words of someone addressed: '"Okoro, put yours on the camera."'
VOCATIVE = re.compile(r",\s+(?:you|your|can|could|would|will|what|how|why|do|did|please|put|"
                      r"show|tell|read|come|go|try|give|look|i|we|let's|are|is|don't|stop|"
                      r"answer|explain|share)\b", re.IGNORECASE)
# The role that opens a line is its speaker's label ('COACH:', '- teacher:'), not a person's job.
SPEAKER_LABEL = re.compile(r"^[\s>*#-]*[^\W\d_]+\s*:\s*$")
SPEAKER = re.compile(r"(?:\s*\([^()\n]{0,40}\))?\s*:\s")
