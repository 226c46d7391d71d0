"""Word lists and sentence pools for the demo ads: invented, tame and free of indicator phrases.

Filler sentences must never contain a phrase from the indicator catalogue or a Houten place name:
the ground-truth labels of an ad are exactly the snippets `content` adds on purpose.
"""

NAMES = (
    "Lotte", "Mila", "Sanne", "Yara", "Noor", "Eva", "Jade", "Bella", "Fleur", "Lisa",
    "Roos", "Isa", "Femke", "Nina", "Sara", "Luna", "Zoë", "Tess", "Vera", "Anouk",
    "Maud", "Jasmijn", "Iris", "Demi", "Kim", "Romy", "Lieke", "Esmee", "Julia", "Amber",
    "Naomi", "Chantal", "Bo", "Liv", "Floor", "Fenna", "Elin", "Merel", "Silke", "Evi",
)  # fmt: skip

HOUTEN_TOWNS = ("Houten", "Houten", "Houten", "Houten", "Schalkwijk", "'t Goy", "Tull en 't Waal")
HOUTEN_PLACES = (
    "Houten", "Houten-Zuid", "Castellum", "De Hoon", "Loerik", "Schoneveld", "Schalkwijk",
    "'t Goy", "Tull en 't Waal", "3991 CE", "3995 DB", "3994 KL", "3992 AB",
)  # fmt: skip
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

TITLES_NL = (
    "{name} ontvangt in {town}",
    "Gezellige {name}",
    "{name}, sportief en spontaan",
    "Ontspanning bij {name}",
    "Discreet bij {name} ({age})",
    "Lieve {name} wacht op je",
    "{name} – rust en aandacht",
    "Warm welkom bij {name}",
)
TITLES_EN = ("{name} in {town}", "Sweet {name}", "Relax with {name}", "{name}, discreet and kind")

INTRO_NL = (
    "Hoi, ik ben {name} ({age}) en ik ontvang je graag voor een ontspannen afspraak.",
    "Welkom op mijn pagina! Mijn naam is {name}, ik ben {age} jaar.",
    "Hallo, ik ben {name}. Fijn dat je even komt kijken op mijn advertentie.",
    "Ik ben {name}, {age} jaar, vrolijk en nuchter.",
)
INTRO_EN = (
    "Hi, I am {name} ({age}) and I would love to meet you for a relaxed appointment.",
    "Welcome to my page! My name is {name} and I am {age} years old.",
)
FIRST_PERSON_NL = (
    "Ik ontvang je in een schone, rustige en discrete woning met eigen parkeerplaats.",
    "Hygiëne en respect vind ik heel belangrijk, en dat verwacht ik ook van jou.",
    "Neem de tijd, dan neem ik de tijd voor jou; haast is nergens voor nodig.",
    "Ik ben spontaan, gezellig en houd van een goed gesprek bij een kop koffie.",
    "Bel minimaal een uur van tevoren, dan zorg ik dat alles klaarstaat.",
    "Ik heb lang donker haar, ben sportief en lach graag.",
    "Massage en ontspanning staan bij mij centraal.",
    "Escort is ook mogelijk in de regio; vraag gerust naar de voorwaarden.",
    "Na een drukke werkdag even helemaal tot rust komen? Dan zit je bij mij goed.",
    "Ik ben open, eerlijk en zeg duidelijk wat ik wel en niet doe.",
    "In het weekend werk ik alleen op afspraak die vooraf is bevestigd.",
    "Ik hou van muziek, wandelen in het bos en lekker koken.",
    "Een douche en handdoeken zijn natuurlijk aanwezig.",
    "Mijn woning is makkelijk te bereiken met de auto en het openbaar vervoer.",
    "Ik ben geen type voor haastwerk; kwaliteit gaat bij mij voor alles.",
    "Heb je vragen over de mogelijkheden? Stel ze gerust, ik leg het graag uit.",
    "Ik draag graag een mooie jurk en hou van een verzorgd uiterlijk.",
    "Betalen kan contant of met een betaalverzoek, vooraf afgesproken.",
    "Mijn agenda raakt snel vol, dus reserveer op tijd.",
    "Ik sta bekend om mijn rustige en zachte manier van doen.",
    "Ik vind het fijn als je op tijd bent en even laat weten als het later wordt.",
    "Een glaasje fris of een kopje thee staat voor je klaar.",
    "Ik werk met een vaste lijst van wat wel kan, die bespreken we vooraf.",
    "Tot snel, en vergeet niet even te bellen voordat je langskomt.",
    "Ik ben een echte levensgenieter en hou van lachen en kletsen.",
    "Mijn kamer is sfeervol ingericht met kaarsjes en zachte muziek.",
    "Ik hou het graag persoonlijk en neem voor iedere gast alle aandacht.",
    "Wil je een langere afspraak? Dat kan, vraag naar de tarieven.",
    "Ik begin graag rustig met een drankje en een praatje.",
    "Op zondag ben ik vrij en neem ik de telefoon niet op.",
    "Ik lees graag, ga af en toe naar de sportschool en kook voor vrienden.",
    "Mijn gasten zeggen dat ze zich bij mij snel op hun gemak voelen.",
    "Een afspraak afzeggen kan, maar laat het me dan wel even weten.",
    "Ik hou van duidelijke afspraken, dan weten we allebei waar we aan toe zijn.",
    "Gratis parkeren kan in de straat achter mijn woning.",
    "Ik werk alleen op afspraak en ontvang nooit zonder te bellen.",
    "Een berichtje met je naam en het gewenste tijdstip helpt mij enorm.",
    "Ik ben nuchter, hartelijk en heb gevoel voor humor.",
    "Mijn woning ligt rustig, buren hebben nergens last van.",
    "Je kunt bij mij ook gewoon terecht voor een ontspannende massage.",
    "Ik doe niet aan haast en plan genoeg tijd tussen afspraken.",
    "Vriendelijke en verzorgde heren zijn van harte welkom.",
)
NEUTRAL_NL = (
    "Schone en discrete locatie met eigen parkeerplaats voor de deur.",
    "Afspraken alleen telefonisch, geen anonieme nummers.",
    "Hygiëne en respect staan voorop.",
    "Ontvangst in een rustige straat, makkelijk bereikbaar.",
    "Betaling contant, vooraf te voldoen.",
    "Douche en handdoeken aanwezig.",
    "Graag een uur van tevoren reserveren.",
    "Escort in de regio is mogelijk tegen meerprijs.",
    "Sfeervolle kamer met zachte verlichting en muziek.",
    "Koffie, thee of fris staat klaar.",
    "Vragen over de mogelijkheden worden graag beantwoord.",
    "Rustig, vriendelijk en zonder haast.",
    "Gratis parkeren in de straat achter de woning.",
    "Afzeggen graag op tijd, dan kan iemand anders de plek krijgen.",
    "Verzorgde en beleefde heren zijn welkom.",
    "Een berichtje met naam en gewenst tijdstip wordt gewaardeerd.",
    "Op zondag gesloten.",
    "Langere afspraken zijn mogelijk, vraag naar de tarieven.",
    "Ontspannende massage is ook mogelijk.",
    "Duidelijke afspraken vooraf, dan weet iedereen waar hij aan toe is.",
    "Rustige woning, discreet binnenkomen en weggaan.",
    "Ruime badkamer met schone handdoeken.",
    "Bereikbaar met auto en openbaar vervoer.",
    "Afspraken worden telefonisch bevestigd.",
)
FIRST_PERSON_EN = (
    "I receive you in a clean, quiet and discreet apartment with free parking.",
    "Hygiene and respect are very important to me.",
    "Take your time, there is no need to hurry.",
    "I love music, long walks and a good conversation.",
    "Please call at least an hour in advance.",
    "Massage and relaxation are what I do best.",
    "Payment in cash, agreed before we meet.",
    "A shower and clean towels are available.",
    "I am open and honest about what I do and do not do.",
    "Coffee, tea or a soft drink is ready for you.",
    "My room is cosy, with candles and soft music.",
    "Longer appointments are possible, just ask for the rates.",
    "I look forward to meeting you.",
    "After a busy day at work, come and unwind for a while.",
    "I like a calm start with a drink and a chat.",
    "Weekend appointments only when confirmed in advance.",
    "My place is easy to reach by car and by train.",
    "I have long dark hair, I am sporty and I laugh a lot.",
    "Quality matters more to me than speed.",
    "Please be on time, or let me know if you are running late.",
    "I enjoy cooking, reading and a walk in the park.",
    "My diary fills up quickly, so book ahead.",
    "I keep things personal and give every guest my full attention.",
    "Escort in the region is possible, ask about the conditions.",
    "No hidden numbers and no messages without a name, thank you.",
)
NEUTRAL_EN = (
    "Clean and discreet location with free parking.",
    "Appointments by phone only, no hidden numbers.",
    "Payment in cash, in advance.",
    "Shower and towels available.",
    "Coffee, tea or a soft drink is ready for you.",
    "Quiet street, easy to reach by car or train.",
    "Please book at least an hour ahead.",
    "Cosy room with soft light and music.",
    "Questions about the options are welcome.",
    "Friendly, calm and never in a hurry.",
    "Escort in the region is possible for an extra fee.",
)
LOCATION_NL = ("Ontvangst in {place}.", "Je vindt me in {place}.", "Ik woon in {place}.")
LOCATION_EN = ("Incall in {place}.", "You can find me in {place}.")

TEMPLATE_TITLE = "{name}, gezellig en discreet in {town}"
TEMPLATE_TEXT = (
    "Hallo heren, ik ben {name}, {age} jaar, en vanaf vandaag te vinden in {town}.",
    "Ik ontvang in een net en warm appartement waar je je meteen thuis voelt. Je parkeert gratis "
    "om de hoek en niemand let op wie er in en uit gaat.",
    "Ik hou van een rustige start met iets te drinken en een praatje, daarna neem ik alle tijd "
    "voor jou. Wensen bespreken we vooraf, zodat we allebei weten waar we aan toe zijn.",
    "Bel gerust voor een afspraak, ik neem op als ik kan. Sms zonder naam beantwoord ik "
    "niet. Tot ziens in {town}!",
)

# Snippets that carry a label: each is added on purpose and names the indicator it should trigger.
SNIPPETS = {
    "minor_cue": (
        "Net 18 en pas begonnen met dit werk.",
        "Ik ben pas 18 geworden en woon hier sinds kort.",
        "Lief schoolmeisje-type, vrolijk en een beetje verlegen.",
        "Just turned 18 and still finding my way.",
        "Ik ben 17 jaar, maar iedereen denkt dat ik ouder ben.",
    ),
    "third_party": (
        "Zij is een lieve meid die je met alle aandacht ontvangt.",
        "Ons meisje ontvangt je graag, bel voor haar een afspraak.",
        "Afspraak via de manager, hij regelt de tijden.",
        "She is sweet and relaxed. Book her today.",
        "Bel voor haar tussen de middag, zij is er vanaf twee uur.",
    ),
    "multiple_workers": (
        "Keuze uit meerdere dames in een rustige woning.",
        "New girls every week, call for the schedule.",
    ),
    "new_arrival": (
        "Nieuw in Houten! Alleen deze week aanwezig.",
        "Net aangekomen en benieuwd naar de regio.",
        "Alleen deze week in Houten, dus wacht niet te lang.",
    ),
    "always_available": ("24/7 bereikbaar voor een afspraak.", "Dag en nacht te bereiken."),
    "hotel_location": (
        "Ontvangst in een nette hotelkamer bij de snelweg.",
        "Ik ontvang je in een hotelkamer, het adres krijg je na het bellen.",
    ),
    "multi_city": ("Ik werk in Houten, Utrecht en Amersfoort; bel waar ik deze week ben.",),
    "unsafe_services": ("Ook zonder condoom mogelijk, vraag gerust.",),
    "trap:independent": (
        "Ik ben zelfstandig en bepaal zelf mijn tijden en mijn gasten.",
        "Ik werk voor mezelf, zonder bureau of tussenpersoon.",
    ),
    "trap:houten_adjective": (
        "Mijn kamer heeft een mooie houten vloer en een groot houten bed.",
        "Gezellige kamer met een houten bed en zachte kussens.",
    ),
    "trap:in_scope_by_text": ("Ontvangst in Schalkwijk, tien minuten rijden van Nieuwegein.",),
    "trap:not_a_phone": (
        "Ik werk van 06:00 tot 18:00, daarna ben ik niet bereikbaar.",
        "Vroege vogels welkom: dagtarief van 06:00 tot 12:00.",
    ),
    "trap:postcode": ("Ontvangst in de buurt van postcode 3992 AB.", "Ik woon bij 3995 DB."),
}
EDIT_SENTENCES = (
    "Vanaf december zijn mijn tijden iets anders, bel even voor de mogelijkheden.",
    "Let op: tijdelijk alleen afspraken in de middag.",
    "Bedankt voor alle leuke reacties van de afgelopen weken!",
)
