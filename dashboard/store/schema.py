"""The data model (ARCHITECTURE.md): reference geography, programme, import journal, monthly aggregates.

Amounts are euros with cents, stored as NUMERIC(14, 2) and read as float: the figures stay well below
2**53 cents, and float keeps pandas fast. Codes (INSEE, SIREN, SIRET) are strings: leading zeros matter.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Stable constraint names: Alembic can then alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Euros = Numeric(14, 2, asdecimal=False)
Siren = String(9)
Siret = String(14)
CodeInsee = String(5)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --- Reference -------------------------------------------------------------------------------------


class Territoire(Base):
    """A région, département, EPCI or commune of the reference geography (COG vintage `millesime`)."""

    __tablename__ = "territoire"
    __table_args__ = (
        CheckConstraint("niveau IN ('region', 'departement', 'epci', 'commune')", name="niveau"),
        Index("ix_territoire_parents", "code_region", "code_departement"),
        Index("ix_territoire_epci", "code_epci"),
    )

    niveau: Mapped[str] = mapped_column(String(12), primary_key=True)
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    nature: Mapped[str | None] = mapped_column(String(2))  # EPCI only: CC, CA, CU, ME
    code_region: Mapped[str | None] = mapped_column(String(3))
    code_departement: Mapped[str | None] = mapped_column(String(3))
    code_epci: Mapped[str | None] = mapped_column(Siren)
    population: Mapped[int | None] = mapped_column(Integer)
    superficie_km2: Mapped[float | None] = mapped_column(Float)
    millesime: Mapped[int] = mapped_column(Integer)


class CodeCommune(Base):
    """Every commune code of any COG vintage since 2015 (data/geo/codes_communes.csv) and the current
    commune it stands for: former codes, communes déléguées and associées, arrondissements municipaux."""

    __tablename__ = "code_commune"
    __table_args__ = (
        CheckConstraint(
            "nature IN ('actuelle', 'ancienne', 'deleguee', 'associee', 'arrondissement')", name="nature"
        ),
        Index("ix_code_commune_siren", "siren"),
    )

    code: Mapped[str] = mapped_column(CodeInsee, primary_key=True)
    nature: Mapped[str] = mapped_column(String(14))
    code_actuel: Mapped[str] = mapped_column(CodeInsee)
    nom: Mapped[str | None] = mapped_column(String(200))  # the code's own name (empty for a former code)
    siren: Mapped[str | None] = mapped_column(Siren)  # current communes only
    codes_postaux: Mapped[str | None] = mapped_column(String(200))  # ";"-separated


class Syndicat(Base):
    """A syndicat mixte; its perimeter is the union of its members' territories."""

    __tablename__ = "syndicat"

    siren: Mapped[str] = mapped_column(Siren, primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    # Where its membership comes from ("banatic" or "fichier") and the date the file gives, if any.
    source: Mapped[str | None] = mapped_column(String(20))
    perimetre_au: Mapped[date | None] = mapped_column(Date)
    import_lot_id: Mapped[int | None] = mapped_column(ForeignKey("import_lot.id"))


class SyndicatMembre(Base):
    __tablename__ = "syndicat_membre"
    __table_args__ = (
        CheckConstraint("niveau_membre IN ('departement', 'epci', 'commune')", name="niveau_membre"),
    )

    siren_syndicat: Mapped[str] = mapped_column(
        ForeignKey("syndicat.siren", ondelete="CASCADE"), primary_key=True
    )
    niveau_membre: Mapped[str] = mapped_column(String(12), primary_key=True)
    code_membre: Mapped[str] = mapped_column(String(9), primary_key=True)
    # What the file named when it differs from code_membre: a former commune code, a member's SIREN.
    code_brut: Mapped[str | None] = mapped_column(String(14))


# --- Programme -------------------------------------------------------------------------------------


class Vague(Base):
    """A call for projects (AAP): 2019 (variable State rate) or 2020 (flat 50 %)."""

    __tablename__ = "vague"

    annee: Mapped[int] = mapped_column(Integer, primary_key=True)
    libelle: Mapped[str] = mapped_column(String(100))
    taux_etat_min: Mapped[float] = mapped_column(Float)
    taux_etat_max: Mapped[float] = mapped_column(Float)


class Porteur(Base):
    """A laureate collectivité (the commanditaire of the passes)."""

    __tablename__ = "porteur"
    __table_args__ = (
        CheckConstraint("type IN ('CR', 'CD', 'EPCI', 'SM')", name="type"),
        CheckConstraint("sous_type IS NULL OR sous_type IN ('CC', 'CA', 'CU', 'ME')", name="sous_type"),
    )

    siren: Mapped[str] = mapped_column(Siren, primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(4))
    sous_type: Mapped[str | None] = mapped_column(String(2))
    # CR → région code, CD → département code, EPCI → EPCI SIREN, SM → its own SIREN (see syndicat).
    code_territoire: Mapped[str] = mapped_column(String(9))
    code_territoire_brut: Mapped[str | None] = mapped_column(String(9))  # as written, when converted
    import_lot_id: Mapped[int | None] = mapped_column(ForeignKey("import_lot.id"))


class Convention(Base):
    __tablename__ = "convention"
    __table_args__ = (
        CheckConstraint("subvention_etat_eur <= budget_total_eur", name="subvention_budget"),
        CheckConstraint("budget_total_eur >= 0 AND subvention_etat_eur >= 0", name="montants_positifs"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    siren_porteur: Mapped[str] = mapped_column(ForeignKey("porteur.siren"), index=True)
    vague: Mapped[int] = mapped_column(ForeignKey("vague.annee"))
    date_convention: Mapped[date | None] = mapped_column(Date)
    budget_total_eur: Mapped[float] = mapped_column(Euros)
    subvention_etat_eur: Mapped[float] = mapped_column(Euros)
    subvention_versee_eur: Mapped[float | None] = mapped_column(Euros)
    pass_prevus: Mapped[int | None] = mapped_column(Integer)
    import_lot_id: Mapped[int | None] = mapped_column(ForeignKey("import_lot.id"))


class Commande(Base):
    __tablename__ = "commande"
    __table_args__ = (
        CheckConstraint("pass_par_carnet IN (5, 10)", name="pass_par_carnet"),
        CheckConstraint("nb_carnets > 0", name="nb_carnets"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    siren_porteur: Mapped[str] = mapped_column(ForeignKey("porteur.siren"), index=True)
    date_commande: Mapped[date] = mapped_column(Date)
    nb_carnets: Mapped[int] = mapped_column(Integer)
    pass_par_carnet: Mapped[int] = mapped_column(Integer)
    valeur_faciale_eur: Mapped[float] = mapped_column(Euros, default=10)
    fin_validite: Mapped[date | None] = mapped_column(Date)
    # The wave the file attributes the order to (optional column); NULL: the convention in force at the
    # order date.
    vague: Mapped[int | None] = mapped_column(ForeignKey("vague.annee"))
    # Inclusive range of the pass serial numbers of the order, when the file gives them.
    premier_numero: Mapped[int | None] = mapped_column(BigInteger)
    dernier_numero: Mapped[int | None] = mapped_column(BigInteger)
    import_lot_id: Mapped[int | None] = mapped_column(ForeignKey("import_lot.id"))


class Structure(Base):
    """A distributing structure or a mediation place, known by its SIRET."""

    __tablename__ = "structure"
    __table_args__ = (CheckConstraint("role IN ('distributeur', 'lieu')", name="role"),)

    siret: Mapped[str] = mapped_column(Siret, primary_key=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)
    nom: Mapped[str | None] = mapped_column(String(200))
    code_commune: Mapped[str | None] = mapped_column(CodeInsee)


class EvenementPass:
    """Columns of one event line of the operator's files: passes distributed or redeemed."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    siren_porteur: Mapped[str] = mapped_column(ForeignKey("porteur.siren"))
    date: Mapped[date] = mapped_column(Date)
    code_commune: Mapped[str] = mapped_column(CodeInsee)  # today's commune
    code_commune_brut: Mapped[str | None] = mapped_column(CodeInsee)  # as written, when it was converted
    nb_pass: Mapped[int] = mapped_column(Integer)
    # Inclusive range of the pass serial numbers of the line, when the file gives them.
    premier_numero: Mapped[int | None] = mapped_column(BigInteger)
    dernier_numero: Mapped[int | None] = mapped_column(BigInteger)
    # The import that wrote the line (written only by the importer, with the lot it has just created in
    # the same transaction; lots are never deleted before their lines). No foreign key: PostgreSQL
    # checks one per row, 5 s of a million-line import (bench/BENCHMARKS.md); the porteur's stays.
    import_lot_id: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        numerotee = text("premier_numero IS NOT NULL AND dernier_numero IS NOT NULL")
        return (
            CheckConstraint("nb_pass > 0", name="nb_pass"),
            Index(f"ix_{cls.__tablename__}_porteur_date", "siren_porteur", "date"),
            # A lot's lines (its deletion), and the latest line of a laureate's month in a lot (the
            # reporting calendar, dashboard.store.calendrier): one index seek per laureate × month × lot.
            Index(f"ix_{cls.__tablename__}_lot_porteur_date", "import_lot_id", "siren_porteur", "date"),
            # The numbered lines only (dashboard.store.numeros), usually few: read without a scan.
            Index(
                f"ix_{cls.__tablename__}_numerotees",
                "siren_porteur",
                sqlite_where=numerotee,
                postgresql_where=numerotee,
            ),
        )


class Distribution(EvenementPass, Base):
    """Passes handed to beneficiaries by a distributing structure."""

    __tablename__ = "distribution"

    siret_structure: Mapped[str | None] = mapped_column(Siret)
    # The name the line gives, kept only when it gives no SIRET (a SIRET's name lives in `structure`).
    nom_structure: Mapped[str | None] = mapped_column(String(200))
    public: Mapped[str | None] = mapped_column(String(100))


class Utilisation(EvenementPass, Base):
    """Passes redeemed (scanned) at a mediation place."""

    __tablename__ = "utilisation"

    siret_lieu: Mapped[str | None] = mapped_column(Siret)
    # The name the line gives, kept only when it gives no SIRET (a SIRET's name lives in `structure`).
    nom_lieu: Mapped[str | None] = mapped_column(String(200))
    # Whether the operator paid the place back for these passes (optional column `rembourse` of the
    # file): NULL when the file does not say (and for the lines of files imported before the column).
    rembourse: Mapped[bool | None] = mapped_column(Boolean)


class Lieu(Base):
    """A lieu de médiation numérique from the national standard (v0.1, v0.2) or data·inclusion."""

    __tablename__ = "lieu"
    __table_args__ = (
        Index("ix_lieu_commune", "code_commune"),
        Index("ix_lieu_siret", "siret"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifiant: Mapped[str] = mapped_column(String(200), unique=True)  # the source's id
    format: Mapped[str] = mapped_column(String(20))  # "v0.1", "v0.2", "data·inclusion"
    pivot: Mapped[str | None] = mapped_column(String(20))  # SIRET or RNA as written
    siret: Mapped[str | None] = mapped_column(Siret)
    nom: Mapped[str] = mapped_column(String(300))
    code_commune: Mapped[str] = mapped_column(CodeInsee)  # today's commune
    code_commune_brut: Mapped[str | None] = mapped_column(String(5))  # as written, when converted
    code_postal: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(String(200))
    adresse: Mapped[str | None] = mapped_column(String(400))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accepte_pass: Mapped[bool] = mapped_column(Boolean)
    motif_pass: Mapped[str | None] = mapped_column(String(200))  # why it counts as accepting the Pass
    labels: Mapped[str | None] = mapped_column(String(400))  # ";"-separated
    date_maj: Mapped[date | None] = mapped_column(Date)
    import_lot_id: Mapped[int | None] = mapped_column(ForeignKey("import_lot.id"))


# --- Import journal --------------------------------------------------------------------------------


class ImportLot(Base):
    """One import = one transaction = one journal entry."""

    __tablename__ = "import_lot"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('laureats', 'syndicats', 'commandes', 'distributions', 'utilisations', 'lieux')",
            name="kind",
        ),
        Index("ix_import_lot_kind_checksum", "kind", "checksum"),
        # One lot in force per content: two simultaneous imports of one file cannot both be written.
        Index(
            "uq_import_lot_contenu",
            "kind",
            "checksum",
            unique=True,
            sqlite_where=text("NOT remplace"),
            postgresql_where=text("NOT remplace"),
        ),
        {"sqlite_autoincrement": True},  # a lot number is never given twice (PostgreSQL: its sequence)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    fichier: Mapped[str] = mapped_column(String(400))
    checksum: Mapped[str] = mapped_column(String(64))
    lignes: Mapped[int] = mapped_column(Integer)
    utilisateur: Mapped[str | None] = mapped_column(String(200))
    importe_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    remplace_lot_id: Mapped[int | None] = mapped_column(ForeignKey("import_lot.id"))
    avertissements: Mapped[str | None] = mapped_column(Text)  # JSON list of French messages
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # demo loader's
    remplace: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # by a later lot


class FichierEnAttente(Base):
    """A file uploaded on /donnees, between its validation and its confirmation, kept in the database so
    that any host behind a load balancer may confirm it. Named by its checksum and bound to the account
    that deposited it: a confirmation only ever finds a file its own account deposited."""

    __tablename__ = "fichier_en_attente"

    depose_par: Mapped[str] = mapped_column(String(200), primary_key=True)  # the account's identifiant
    empreinte: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the content
    extension: Mapped[str] = mapped_column(String(8))
    nom: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    contenu: Mapped[bytes] = mapped_column(LargeBinary)
    depose_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# --- Access: accounts, sign-in attempts, audit log ----------------------------------------------------


class Utilisateur(Base):
    """An account. `generation` changes when the account is disabled or its password changes: the
    session cookies signed before then stop being accepted."""

    __tablename__ = "utilisateur"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'coordinateur', 'lecteur')", name="role"),
        CheckConstraint("role <> 'coordinateur' OR code_region IS NOT NULL", name="region_coordinateur"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifiant: Mapped[str] = mapped_column(String(120), unique=True)
    nom: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    code_region: Mapped[str | None] = mapped_column(String(3))
    mot_de_passe: Mapped[str] = mapped_column(String(200))  # argon2id hash, never the password
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    derniere_connexion: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sessions_depuis: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # signed out at
    # ProConnect: the provider's subject (`sub`), linked at the first sign-in and checked at every other.
    sub_oidc: Mapped[str | None] = mapped_column(String(255), unique=True)


class RegleSiret(Base):
    """Access granted by organisation: whoever signs in through ProConnect with this SIRET gets an account
    with this role (and région) at their first sign-in (`passnum users regle add`). Never the admin role:
    administrators are named one by one."""

    __tablename__ = "regle_siret"
    __table_args__ = (
        CheckConstraint("role IN ('coordinateur', 'lecteur')", name="role"),
        CheckConstraint("role <> 'coordinateur' OR code_region IS NOT NULL", name="region_coordinateur"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    siret: Mapped[str] = mapped_column(String(14), unique=True)
    role: Mapped[str] = mapped_column(String(12))
    code_region: Mapped[str | None] = mapped_column(String(3))
    cree_par: Mapped[str] = mapped_column(String(200))
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TentativeConnexion(Base):
    """Sign-in attempts, counted to slow down password guessing (per account and per address) from
    every worker and host alike."""

    __tablename__ = "tentative_connexion"
    __table_args__ = (
        Index("ix_tentative_connexion_identifiant_moment", "identifiant", "moment"),
        Index("ix_tentative_connexion_adresse_moment", "adresse", "moment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    moment: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    identifiant: Mapped[str] = mapped_column(String(120))
    adresse: Mapped[str] = mapped_column(String(64))
    reussie: Mapped[bool] = mapped_column(Boolean)


class JournalAudit(Base):
    """Who did what: imports, demo loads, account changes, sign-ins, shared links."""

    __tablename__ = "journal_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    moment: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    acteur: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    cible: Mapped[str | None] = mapped_column(String(400))
    details: Mapped[str | None] = mapped_column(Text)  # JSON
    adresse: Mapped[str | None] = mapped_column(String(64))


# --- Monthly aggregates (refreshed by imports; no interaction scans raw events) -------------------


class ActiviteMensuelle(Base):
    """Passes distributed and redeemed per laureate × commune × month (mois = first day of the month)."""

    __tablename__ = "activite_mensuelle"
    __table_args__ = (Index("ix_activite_mensuelle_mois", "mois"),)

    siren_porteur: Mapped[str] = mapped_column(ForeignKey("porteur.siren"), primary_key=True)
    code_commune: Mapped[str] = mapped_column(CodeInsee, primary_key=True)
    mois: Mapped[date] = mapped_column(Date, primary_key=True)
    pass_distribues: Mapped[int] = mapped_column(Integer, default=0)
    pass_utilises: Mapped[int] = mapped_column(Integer, default=0)
    # The redeemed passes the files say were paid back to the place, or not (neither: unknown).
    pass_non_rembourses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pass_rembourses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ActiviteStructureMensuelle(Base):
    """Passes handed out by a distributing structure or redeemed at a mediation place, per laureate × month.

    Only lines that name their structure (SIRET) are counted here; the others are in
    activite_sans_siret_mensuelle, the totals in activite_mensuelle.
    """

    __tablename__ = "activite_structure_mensuelle"
    __table_args__ = (CheckConstraint("role IN ('distributeur', 'lieu')", name="role"),)

    siren_porteur: Mapped[str] = mapped_column(ForeignKey("porteur.siren"), primary_key=True)
    siret: Mapped[str] = mapped_column(Siret, primary_key=True)
    role: Mapped[str] = mapped_column(String(12), primary_key=True)
    mois: Mapped[date] = mapped_column(Date, primary_key=True)
    code_commune: Mapped[str] = mapped_column(CodeInsee)
    nb_pass: Mapped[int] = mapped_column(Integer, default=0)
    # Places only (role "lieu"): passes paid back, or not, by the operator (neither: unknown).
    pass_non_rembourses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pass_rembourses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ActiviteSansSiretMensuelle(Base):
    """Passes of the event lines that give no SIRET, per laureate × role × month × commune × the name the
    lines give (NULL: none). With activite_structure_mensuelle, they make up all the passes of a role:
    the shares of structures and places are taken over both. No structure is counted from here."""

    __tablename__ = "activite_sans_siret_mensuelle"
    __table_args__ = (
        CheckConstraint("role IN ('distributeur', 'lieu')", name="role"),
        Index("ix_activite_sans_siret_mensuelle_porteur_role", "siren_porteur", "role"),
    )

    # A surrogate key: the name, part of what identifies a row, may be NULL.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    siren_porteur: Mapped[str] = mapped_column(ForeignKey("porteur.siren"))
    role: Mapped[str] = mapped_column(String(12))
    mois: Mapped[date] = mapped_column(Date)
    code_commune: Mapped[str] = mapped_column(CodeInsee)
    nom: Mapped[str | None] = mapped_column(String(200))
    nb_pass: Mapped[int] = mapped_column(Integer, default=0)
    # Places only (role "lieu"): passes paid back, or not, by the operator (neither: unknown).
    pass_non_rembourses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pass_rembourses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CommandeMensuelle(Base):
    """Passes ordered per laureate × month, and when they expire."""

    __tablename__ = "commande_mensuelle"

    siren_porteur: Mapped[str] = mapped_column(ForeignKey("porteur.siren"), primary_key=True)
    mois: Mapped[date] = mapped_column(Date, primary_key=True)
    pass_commandes: Mapped[int] = mapped_column(Integer, default=0)
    montant_eur: Mapped[float] = mapped_column(Euros, default=0)


# --- Steering: envelopes, vigilance rules, committees and their notes ------------------------------
# Small tables written by hand (CLI, admin pages), each write journaled; read without memoisation.


class EnveloppeVague(Base):
    """The national envelope of a wave (euros of State subsidy) and its national target (passes), as set
    by `passnum enveloppe` or an administrator."""

    __tablename__ = "enveloppe_vague"
    __table_args__ = (
        CheckConstraint("montant_eur IS NULL OR montant_eur >= 0", name="montant_positif"),
        CheckConstraint("objectif_pass IS NULL OR objectif_pass > 0", name="objectif_positif"),
    )

    vague: Mapped[int] = mapped_column(ForeignKey("vague.annee"), primary_key=True)
    montant_eur: Mapped[float | None] = mapped_column(Euros)
    objectif_pass: Mapped[int | None] = mapped_column(Integer)
    modifie_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    modifie_par: Mapped[str] = mapped_column(String(200))


class RegleVigilance(Base):
    """An administrator's setting of a vigilance rule (the rules and their defaults live in the code,
    dashboard.domain.vigilance): on or off, and its parameters (JSON object) where they differ."""

    __tablename__ = "regle_vigilance"

    cle: Mapped[str] = mapped_column(String(40), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    parametres: Mapped[str | None] = mapped_column(Text)  # JSON object
    modifie_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    modifie_par: Mapped[str] = mapped_column(String(200))


class Comite(Base):
    """A monthly steering committee, by its date."""

    __tablename__ = "comite"

    date: Mapped[date] = mapped_column(Date, primary_key=True)
    titre: Mapped[str | None] = mapped_column(String(200))
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cree_par: Mapped[str] = mapped_column(String(200))


class NoteComite(Base):
    """A note (« décision : relance du CD 29 ») pinned to an entity and a date; deleted notes are kept,
    marked, so that a wrong click can be undone."""

    __tablename__ = "note_comite"
    __table_args__ = (
        CheckConstraint("niveau IN ('national', 'region', 'departement', 'epci', 'porteur')", name="niveau"),
        Index("ix_note_comite_entite", "niveau", "code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    niveau: Mapped[str] = mapped_column(String(12))
    code: Mapped[str | None] = mapped_column(String(9))  # NULL for the national level
    date_note: Mapped[date] = mapped_column(Date)
    texte: Mapped[str] = mapped_column(Text)
    auteur: Mapped[str] = mapped_column(String(200))
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    supprimee: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


# --- Metadata --------------------------------------------------------------------------------------


class JetonApi(Base):
    """A client token of the open-data API (`passnum jetons`): only the SHA-256 of its secret is kept; the
    prefix names it in lists and in the journal. Scopes are comma-separated; revocation is immediate."""

    __tablename__ = "jeton_api"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    prefixe: Mapped[str] = mapped_column(String(16), unique=True)
    empreinte: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the whole token
    portees: Mapped[str] = mapped_column(String(200))
    cree_par: Mapped[str] = mapped_column(String(200))
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expire_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoque_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    derniere_utilisation: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Metadonnee(Base):
    """Key/value facts about the loaded data: reference checksum, demo flag, data date."""

    __tablename__ = "metadonnee"

    cle: Mapped[str] = mapped_column(String(100), primary_key=True)
    valeur: Mapped[str] = mapped_column(Text)


__all__ = [
    "ActiviteMensuelle",
    "ActiviteSansSiretMensuelle",
    "ActiviteStructureMensuelle",
    "Base",
    "Comite",
    "Commande",
    "CommandeMensuelle",
    "Convention",
    "Distribution",
    "EnveloppeVague",
    "EvenementPass",
    "ImportLot",
    "JetonApi",
    "Metadonnee",
    "NoteComite",
    "Porteur",
    "RegleSiret",
    "RegleVigilance",
    "Structure",
    "Syndicat",
    "SyndicatMembre",
    "Territoire",
    "Utilisation",
    "Vague",
]
