<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" sourcelanguage="en_GB">
<context>
    <name></name>
    <message>
        <source>A blue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B green</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C amber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not for CPR</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For CPR</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 – overdue</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GSF stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred place of death</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs review: two values of a field were recorded at the same time; open the record to choose.</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Died</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discharged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, NHS number, address, circle or notes</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the caseload</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GSF stage</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any stage</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;tage:</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stat&amp;us:</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews &amp;overdue</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No &amp;preferred place</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No &amp;CPR decision</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add a person…</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People shown</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;People:</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 person</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} people</source>
        <comment>caseload</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 3 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 6 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period for deaths and volunteer hours</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deaths and hours &amp;in the:</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload by GSF stage</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews overdue</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preferred place</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No CPR decision</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred place of death achieved</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People who died</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circles of support and volunteers</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People with an active circle of support</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community volunteers supporting them</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Volunteer hours on the rota in the period</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Volunteer hours signed up for, coming four weeks</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} people on the caseload on {day}</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{circles} of {total} people have someone in their circle of support.</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not staged</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{overdue} with a review overdue; {place} with no preferred place of death recorded; {cpr} with no CPR decision recorded.</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achieved</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not achieved</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No deaths with a recorded preference</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{start} to {end}: {died} died. Of {pref} with a preferred place recorded, {achieved} ({share}) died there. {usual} ({ushare}) died in their usual place of residence.</source>
        <comment>dashboard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong that eolcare did not expect. What you had saved is safe. Try again; if it happens again, use “Copy details” and send them to your IT support (the details hold no personal data).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved. Please correct:</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The computer ran out of memory. Close other programs and try again.</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eolcare</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eolcare: something went wrong</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Details (no personal data):</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crash details</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <comment>errors</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caseload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rota</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sections of the window</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> minutes</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after this long without use</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock the window after:</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide personal data until the passphrase is typed</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;passphrase…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the passphrase of this profile and its team account</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add a person…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find in the caseload</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save the record</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark colours</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About eolcare</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Family summary…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family summary, &amp;large print…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;rofessional summary…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Handover pack…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An encrypted pack for the service taking over care</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send and fetch the team&apos;s changes</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Records needing review…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Team…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team &amp;account…</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to a team server, create a team, or sign out</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;People</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile: {name}</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printouts</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a person&apos;s record, or select a person in the caseload, first.</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase changed for this profile and your team account.</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase changed for this profile.</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About eolcare</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eolcare {version}: the end-of-life care coordinator&apos;s record, encrypted on this computer.</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eolcare</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are unsaved changes. Unlock the window first, then save or discard them.</source>
        <comment>window</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family summary, large print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Professional summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handover pack</source>
        <comment>printouts</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the people to hand over first: select them in the caseload, or open a person&apos;s record.</source>
        <comment>printouts</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>two values were recorded at the same time on different devices. Both are kept; choose the one that is right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark as reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark as reviewed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fields marked * are required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard changes?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you typed here has not been saved. Discard it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, type or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add a service...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisations and teams, entered once and attached to many people. 24/7 numbers are in bold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} services, {m} with a 24/7 number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last changed by {who} on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the changes to this record (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sections of the record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7. Circle of support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8. Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>9. Contact log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tasks and reviews</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help rota</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a person from the caseload to see their record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record has changes that are not saved yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save them, discard them, or go back to the record?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Throw away the changes made to this record since it was last saved?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved. Put right what is shown beside the fields:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In their own words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(words beside the choice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose one of the choices for the words beside it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(words beside the choices)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tick at least one choice for the words beside them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dd/mm/yyyy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the date (31/03/2025) or pick it from the calendar; leave it empty when it is not recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is not a date: write it as 31/03/2025</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(a record not listed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clinically significant: a concurrent change is kept for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of this field (Ctrl+H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept for review: another change won</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No: kept for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No change recorded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest first. A change marked &quot;kept for review&quot; lost to a concurrent change and is kept so nothing is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is already on this profile: someone on the caseload has it. Find them in the caseload instead of adding them again, or check the number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circle of support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family, friends, neighbours and compassionate-community volunteers. Volunteers come from the shared community directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add family, friend or neighbour...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign a volunteer...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this person from the circle of support?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign a volunteer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to the circle of support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign a volunteer from the community directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name, area or what they help with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a volunteer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New volunteer in the directory...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New volunteer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services and professional contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24/7 numbers first. Services come from the shared service directory, entered once for everyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach a service...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this service from the person&apos;s record?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach a service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service involved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a note of </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest first. Notes are never changed afterwards, so the log stays a true account; to put one right, add a note that corrects it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log a contact...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct this note...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log a contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact-log note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct a contact-log note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a task or review...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this task?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a task or review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a slot...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this rota slot?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody yet (a gap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a rota slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rota slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other documents (a will, a care plan...) and where each is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a document...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this document?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue by {n} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue by 1 day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in {n} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(team task)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviews and tasks due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show what is due within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due &amp;within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Overdue only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the caseload...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{overdue} overdue, {due} due in the next {days} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GAP: nobody signed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; Previous week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coming week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next week &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help rota week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help rota: the week ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the rota...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{gaps} of {total} slots this week have nobody signed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every slot this week has a helper ({total} slots)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eolcare recovery key</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinator</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made on</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This key opens your eolcare records if you forget your passphrase. Anyone who has it and your laptop can read them: keep it somewhere locked, apart from the laptop (for example with your team&apos;s key safe), and never in an email.</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your recovery key</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you forget your passphrase, this key is the only way into your records. It is shown now and never again: copy it into your team&apos;s password manager, or print it or save it as PDF and keep it locked away from this laptop.</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery key</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as &amp;PDF…</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;rint…</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have &amp;stored the recovery key safely</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied. Paste it into your password manager now.</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved as {name}.</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the recovery key as PDF</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <comment>recovery</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <comment>shortcuts</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Menu</source>
        <comment>shortcuts</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command</source>
        <comment>shortcuts</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <comment>shortcuts</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too short: use at least {n} characters; four unrelated words are easy to remember and hard to guess.</source>
        <comment>strength</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is one of the first passphrases anyone would try.</source>
        <comment>strength</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strong.</source>
        <comment>strength</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fair: another unrelated word would make it strong.</source>
        <comment>strength</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weak: use four or more unrelated words.</source>
        <comment>strength</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records needing review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Competing values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a record to review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep this value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no person)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing needs review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was changed on two laptops. Both values are kept until you choose one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (shown now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looked at: mark as reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing: %1 of %2 changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in a team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed from the team on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last synced %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <comment>SyncStatus</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) need review</source>
        <comment>SyncStatus</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Team members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove from the team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member: reads and edits</source>
        <comment>TeamScreen</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>viewer: reads only</source>
        <comment>TeamScreen</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin: also invites and removes</source>
        <comment>TeamScreen</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Look up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fingerprint to compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They read the same digits: &amp;invite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invitations for you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The admin read the same digits: &amp;join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team and your role</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) already on this laptop will be shared with the team.</source>
        <comment>TeamScreen</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>This profile is not signed in to a team server. Sign in or create an account in Team &gt; Team account; then create a team there, or join one an admin invites you to (the invitation shows below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1, not in a team yet. Join one an admin invites you to (the invitation shows below), or create one in Team &gt; Team account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were removed from %1. Your own changes not yet sent are kept on this laptop and can be exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an admin: you invite and remove members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a member: you read and edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a viewer: you read only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: you are %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to a team server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only if your IT team gave you one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate authority bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile&apos;s passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account uses the same passphrase as this profile; it never leaves this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;A bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile&apos;s &amp;passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account uses the passphrase that unlocks this profile. It never leaves this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the &amp;team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team &amp;name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or ask a team admin to invite you: the invitation appears on Team &gt; Team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out of the team server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile is not signed in to a team server. Sign in with the address your team&apos;s admin gave you, or create an account there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1 at %2, not in a team yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1 at %2, in the team %3 (%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the server address, your user name and this profile&apos;s passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in. Next: create a team, or ask a team admin to invite you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account is in several teams; this profile syncs with one. Use another profile per team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in; not joined to the team, nothing was shared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile now syncs with the team. The team&apos;s records arrive with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the team a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No team was created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team created; you are its admin. Invite coordinators from Team &gt; Team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing out removes the team&apos;s records from this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything has been synced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still signed in; nothing was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed out; the team&apos;s records were removed from this laptop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) already made on this laptop will be shared with the team</source>
        <comment>AccountScreen</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>so every member will see those records. Go on?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;ole</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invitations for &amp;you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (waiting for the team key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed. The team now uses key %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read these digits to %1 by phone or in person; they must see the same:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invited. They join from their own team screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The admin who invited you must read you the same digits:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined %1. The team&apos;s records arrive with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sync is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eolcare is locked</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock your records</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Personal data is hidden while the window is locked. Your unsaved changes are kept; type your passphrase to carry on where you were.</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile “{name}”. Type your passphrase to open it.</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forgot it? Use the &amp;recovery key</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlocking</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock message</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for your key in the system keyring…</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recovery key:</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery key</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use my &amp;passphrase</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking… (this takes a second on purpose: it slows down anyone guessing)</source>
        <comment>unlock</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to eolcare</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eolcare keeps your caseload encrypted on this computer. Create your own profile to start, or try eolcare first with a demo caseload of made-up people.</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create my profile</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the &amp;demo caseload</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile &amp;name:</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile name</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Your name:</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name, shown on every change you make</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Again:</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People in the &amp;demo:</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People in the demo</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the profile</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the demo caseload</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create your profile</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo is a profile of its own, filled with made-up people. It is encrypted like a real one, so it needs a passphrase too.</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a passphrase only you know. It unlocks your records on this computer; nobody can reset it, but the recovery key shown next can open the records if you forget it.</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Four or more unrelated words make a strong passphrase.</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the profile a name (for example your first name).</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your name: it is shown on every change you make.</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases are not the same; type them again.</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating your encrypted profile…</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making a demo caseload of made-up people…</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo caseload</source>
        <comment>welcome</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is in this handover pack</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every name before the pack is made: it will hold their health records.</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NHS number</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People in the pack</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading...</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;These are the right people</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n person(s) will be in this pack:</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Passphrase and where to save</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pack is encrypted (AES-256). Give the passphrase to the receiver by another route, such as a phone call.</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the pack as</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse...</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save the pack as:</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase &amp;again:</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the handover pack</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ZIP files (*.zip)</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to save the pack.</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The passphrase needs at least %n characters (a few words work well).</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The two passphrases are not the same.</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making the handover pack</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting...</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handover pack</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 people done</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The handover pack is ready. Send the passphrase by another route.</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pack was not made; nothing was saved.</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped: no pack was saved.</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping...</source>
        <comment>HandoverWizard</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print preview</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This printout could not be opened for preview. Try making it again.</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printout pages</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Print...</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save as PDF...</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer could not be started. Check that it is switched on and try again.</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the printout as PDF</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PDF could not be saved there ({reason}). Choose another folder.</source>
        <comment>PrintPreviewDialog</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have forgotten it: use the &amp;recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;urrent passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Change passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When this profile is signed in to a team server, your account&apos;s passphrase changes with it; that needs the server to be reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the recovery key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the current passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two new passphrases are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changing the passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>eolcare.codes</name>
    <message>
        <source>Female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indeterminate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sight impairment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hearing impairment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses sign language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning disability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dementia or cognitive impairment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speech difficulty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading or writing difficulty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other (see text)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discharged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Died</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usual place of residence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hospice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hospital</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community hospital</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Care home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nursing home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Residential home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undecided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Declined to discuss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unable to express a preference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discussion not appropriate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No: would not be surprised if the person died in the next year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes: would be surprised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A blue: year plus prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B green: months prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C yellow / amber: weeks prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D red: days prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last days of life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last weeks of life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last months of life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About a year of life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For cardiopulmonary resuscitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not for cardiopulmonary resuscitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prioritise extending life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance extending life with comfort and valued outcomes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prioritise comfort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lasting power of attorney for health and welfare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Court-appointed deputy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best-interest decision to share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attorney consented</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anticipatory medicines prescribed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anticipatory medicines box issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not prescribed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sitting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medicines collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Companionship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Night cover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Personal care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Housework</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spouse or civil partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Son</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daughter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Brother or sister</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grandchild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other relative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neighbour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compassionate-community volunteer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faith community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid carer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not offered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not assessed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District nursing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Specialist palliative care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hospice (inpatient)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hospice at home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out-of-hours GP / 111</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ambulance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Social care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Care agency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community pharmacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chaplaincy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voluntary sector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bereavement service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MDT discussion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review ReSPECT plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every two weeks</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>eolcare.fields</name>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pronouns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gender identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NHS number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home access notes (key safe location, not its code)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interpreter needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Communication needs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GP practice code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End-of-life diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other diagnoses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabilities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discharged on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of death</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actual place of death</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the palliative care register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added to the register on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surprise question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Surprise question asked on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GSF stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person aware of prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carer aware of prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Australia-modified Karnofsky (AKPS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What matters to me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What I most value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What I most fear or wish to avoid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spiritual, religious and cultural needs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rituals at or after death</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Funeral wishes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organ and tissue donation wishes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the donor card is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred place of care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred place of care (second choice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred place of death</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred place of death (second choice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who took part in the discussion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences discussed on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences review date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person had capacity for the CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPR decision date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPR decision review date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clinician responsible for the CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who was involved in the CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Family told of the CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the CPR / DNACPR form is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ReSPECT plan in place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ReSPECT plan date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the ReSPECT form is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ReSPECT clinical focus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ReSPECT recommended interventions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advance decision to refuse treatment (ADRT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ADRT refuses life-sustaining treatment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the ADRT covers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ADRT date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the ADRT is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health and welfare decisions by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LPA registered with the Office of the Public Guardian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attorney(s) or deputy and their contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advance statement of wishes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advance statement date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent to share this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent recorded on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May be shared with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anticipatory medicines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anticipatory medicines date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the medicines box is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medicines notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Equipment in the home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where it is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Can help with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks (DBS, training) done on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the community directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next of kin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main informal carer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LPA attorney</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best times to contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lives with the person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helps with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Knows the prognosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Knows the CPR decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person consents to sharing with them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carer&apos;s assessment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bereavement risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wants bereavement support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation (ODS) code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24/7 number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Named professional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role (e.g. key worker)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Involved since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Involved until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was discussed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrects an earlier note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeats until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed up (circle member)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>eolcare.sections</name>
    <message>
        <source>1. The person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2. Where the person is in their illness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3. What matters to me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4. Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5. Decisions and legal documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6. Anticipatory medicines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7. Circle of support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8. Services and professional contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>9. Contact log, tasks and help rota</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
