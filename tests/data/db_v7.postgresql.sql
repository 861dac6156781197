--
-- PostgreSQL database dump
--

\restrict myAgiatHEKGVyXcBqyORRMxga4W7hhCpj4idzgsery16W4fAPvSz2chcE5vabfv

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: api_token; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_token (
    id integer NOT NULL,
    user_id integer NOT NULL,
    token_hash character varying(255) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    last_used_at timestamp without time zone
);


--
-- Name: api_token_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.api_token_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_token_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.api_token_id_seq OWNED BY public.api_token.id;


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id integer NOT NULL,
    entity character varying(255) NOT NULL,
    entity_id integer NOT NULL,
    action character varying(255) NOT NULL,
    actor character varying(255) NOT NULL,
    at timestamp without time zone NOT NULL,
    changes text NOT NULL
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;


--
-- Name: bedrijfsinstelling; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bedrijfsinstelling (
    key character varying(255) NOT NULL,
    value text NOT NULL
);


--
-- Name: beeindigingsreden; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.beeindigingsreden (
    id integer NOT NULL,
    code character varying(255) NOT NULL,
    text character varying(255) NOT NULL,
    active boolean NOT NULL
);


--
-- Name: beeindigingsreden_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.beeindigingsreden_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: beeindigingsreden_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.beeindigingsreden_id_seq OWNED BY public.beeindigingsreden.id;


--
-- Name: closure_day; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.closure_day (
    id integer NOT NULL,
    date date NOT NULL,
    description character varying(255) NOT NULL
);


--
-- Name: closure_day_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.closure_day_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: closure_day_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.closure_day_id_seq OWNED BY public.closure_day.id;


--
-- Name: contract; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contract (
    id integer NOT NULL,
    number character varying(255) NOT NULL,
    klant_id integer NOT NULL,
    contracttype_id integer NOT NULL,
    kind character varying(255) NOT NULL,
    voorwaarden_id integer,
    description character varying(255) NOT NULL,
    reference character varying(255) NOT NULL,
    start_date date NOT NULL,
    end_date date,
    rrule character varying(255),
    holidays character varying(255) NOT NULL,
    weekends character varying(255) NOT NULL,
    extra_dates text NOT NULL,
    skip_dates text NOT NULL,
    days_in_advance integer NOT NULL,
    visits_per_year integer,
    sla_beleid_id integer,
    wb_description character varying(255) NOT NULL,
    werktype_id integer,
    duration_minutes integer NOT NULL,
    prioriteit_id integer,
    start_time character varying(255) NOT NULL,
    medewerker_id integer,
    internal_note text NOT NULL,
    terminated_on date,
    end_reason_id integer,
    end_comment text NOT NULL,
    version integer NOT NULL,
    generate_from date,
    generated_through date,
    next_attention date,
    created_by character varying(255) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: contract_draft; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contract_draft (
    id integer NOT NULL,
    user_id integer NOT NULL,
    contract_id integer,
    base_version integer,
    data text NOT NULL,
    step character varying(255) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);


--
-- Name: contract_draft_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.contract_draft_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: contract_draft_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.contract_draft_id_seq OWNED BY public.contract_draft.id;


--
-- Name: contract_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.contract_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: contract_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.contract_id_seq OWNED BY public.contract.id;


--
-- Name: contracttype; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contracttype (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    kind character varying(255) NOT NULL,
    description character varying(255) NOT NULL,
    default_days_in_advance integer NOT NULL,
    default_werktype_id integer,
    default_duration integer,
    active boolean NOT NULL
);


--
-- Name: contracttype_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.contracttype_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: contracttype_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.contracttype_id_seq OWNED BY public.contracttype.id;


--
-- Name: contractvoorwaarden; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contractvoorwaarden (
    id integer NOT NULL,
    code character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    description text NOT NULL,
    duration_months integer NOT NULL,
    auto_renew boolean NOT NULL,
    renewal_months integer NOT NULL,
    notice_value integer NOT NULL,
    notice_unit character varying(255) NOT NULL,
    invoice_period character varying(255) NOT NULL,
    active boolean NOT NULL
);


--
-- Name: contractvoorwaarden_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.contractvoorwaarden_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: contractvoorwaarden_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.contractvoorwaarden_id_seq OWNED BY public.contractvoorwaarden.id;


--
-- Name: counter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counter (
    name character varying(255) NOT NULL,
    value integer NOT NULL
);


--
-- Name: generation_run; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.generation_run (
    id integer NOT NULL,
    started_at timestamp without time zone NOT NULL,
    finished_at timestamp without time zone,
    today date NOT NULL,
    trigger character varying(255) NOT NULL,
    contracts_seen integer NOT NULL,
    created integer NOT NULL,
    moved integer NOT NULL,
    cancelled integer NOT NULL,
    notes text NOT NULL,
    error text NOT NULL
);


--
-- Name: generation_run_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.generation_run_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: generation_run_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.generation_run_id_seq OWNED BY public.generation_run.id;


--
-- Name: holiday_setting; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.holiday_setting (
    id integer NOT NULL,
    kind character varying(255) NOT NULL,
    enabled boolean NOT NULL
);


--
-- Name: holiday_setting_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.holiday_setting_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: holiday_setting_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.holiday_setting_id_seq OWNED BY public.holiday_setting.id;


--
-- Name: klant; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.klant (
    id integer NOT NULL,
    customer_number character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    street character varying(255) NOT NULL,
    house_number character varying(255) NOT NULL,
    postcode character varying(255) NOT NULL,
    city character varying(255) NOT NULL,
    email character varying(255) NOT NULL,
    phone character varying(255) NOT NULL,
    active boolean NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: klant_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.klant_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: klant_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.klant_id_seq OWNED BY public.klant.id;


--
-- Name: medewerker; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.medewerker (
    id integer NOT NULL,
    personnel_number character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    email character varying(255) NOT NULL,
    phone character varying(255) NOT NULL,
    active boolean NOT NULL,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: medewerker_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.medewerker_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: medewerker_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.medewerker_id_seq OWNED BY public.medewerker.id;


--
-- Name: prioriteit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.prioriteit (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    rank integer NOT NULL,
    active boolean NOT NULL
);


--
-- Name: prioriteit_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.prioriteit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: prioriteit_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.prioriteit_id_seq OWNED BY public.prioriteit.id;


--
-- Name: schema_migration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migration (
    version integer NOT NULL,
    name character varying(255) NOT NULL,
    applied_at timestamp without time zone NOT NULL
);


--
-- Name: sla_beleid; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sla_beleid (
    id integer NOT NULL,
    code character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    description text NOT NULL,
    active boolean NOT NULL
);


--
-- Name: sla_beleid_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sla_beleid_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: sla_beleid_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.sla_beleid_id_seq OWNED BY public.sla_beleid.id;


--
-- Name: sla_doel; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sla_doel (
    id integer NOT NULL,
    sla_beleid_id integer NOT NULL,
    version integer NOT NULL,
    prioriteit_id integer NOT NULL,
    response integer NOT NULL,
    resolution integer NOT NULL,
    unit character varying(255) NOT NULL,
    business_hours boolean NOT NULL
);


--
-- Name: sla_doel_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sla_doel_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: sla_doel_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.sla_doel_id_seq OWNED BY public.sla_doel.id;


--
-- Name: user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."user" (
    id integer NOT NULL,
    username character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    password_hash character varying(255) NOT NULL,
    role character varying(255) NOT NULL,
    active boolean NOT NULL,
    created_at timestamp without time zone NOT NULL,
    session_key character varying(32) DEFAULT ''::character varying NOT NULL
);


--
-- Name: user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.user_id_seq OWNED BY public."user".id;


--
-- Name: werkbon; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.werkbon (
    id integer NOT NULL,
    number character varying(255) NOT NULL,
    contract_id integer,
    klant_id integer NOT NULL,
    due_date date,
    generated_on date,
    status character varying(255) NOT NULL,
    medewerker_id integer,
    planned_start timestamp without time zone,
    duration_minutes integer NOT NULL,
    description character varying(255) NOT NULL,
    werktype character varying(255) NOT NULL,
    prioriteit character varying(255) NOT NULL,
    internal_note text NOT NULL,
    changed_by_hand boolean NOT NULL,
    cancel_reason character varying(255) NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    reported_at timestamp without time zone,
    response_due timestamp without time zone,
    resolve_due timestamp without time zone,
    responded_at timestamp without time zone,
    resolved_at timestamp without time zone,
    sla_version integer,
    sla_business_hours boolean,
    stands_for date,
    CONSTRAINT werkbon_check CHECK (((contract_id IS NULL) OR (due_date IS NOT NULL) OR (reported_at IS NOT NULL)))
);


--
-- Name: werkbon_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.werkbon_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: werkbon_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.werkbon_id_seq OWNED BY public.werkbon.id;


--
-- Name: werktype; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.werktype (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    default_duration integer NOT NULL,
    active boolean NOT NULL
);


--
-- Name: werktype_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.werktype_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: werktype_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.werktype_id_seq OWNED BY public.werktype.id;


--
-- Name: api_token id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_token ALTER COLUMN id SET DEFAULT nextval('public.api_token_id_seq'::regclass);


--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);


--
-- Name: beeindigingsreden id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.beeindigingsreden ALTER COLUMN id SET DEFAULT nextval('public.beeindigingsreden_id_seq'::regclass);


--
-- Name: closure_day id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.closure_day ALTER COLUMN id SET DEFAULT nextval('public.closure_day_id_seq'::regclass);


--
-- Name: contract id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract ALTER COLUMN id SET DEFAULT nextval('public.contract_id_seq'::regclass);


--
-- Name: contract_draft id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_draft ALTER COLUMN id SET DEFAULT nextval('public.contract_draft_id_seq'::regclass);


--
-- Name: contracttype id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracttype ALTER COLUMN id SET DEFAULT nextval('public.contracttype_id_seq'::regclass);


--
-- Name: contractvoorwaarden id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractvoorwaarden ALTER COLUMN id SET DEFAULT nextval('public.contractvoorwaarden_id_seq'::regclass);


--
-- Name: generation_run id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.generation_run ALTER COLUMN id SET DEFAULT nextval('public.generation_run_id_seq'::regclass);


--
-- Name: holiday_setting id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.holiday_setting ALTER COLUMN id SET DEFAULT nextval('public.holiday_setting_id_seq'::regclass);


--
-- Name: klant id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.klant ALTER COLUMN id SET DEFAULT nextval('public.klant_id_seq'::regclass);


--
-- Name: medewerker id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.medewerker ALTER COLUMN id SET DEFAULT nextval('public.medewerker_id_seq'::regclass);


--
-- Name: prioriteit id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prioriteit ALTER COLUMN id SET DEFAULT nextval('public.prioriteit_id_seq'::regclass);


--
-- Name: sla_beleid id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_beleid ALTER COLUMN id SET DEFAULT nextval('public.sla_beleid_id_seq'::regclass);


--
-- Name: sla_doel id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_doel ALTER COLUMN id SET DEFAULT nextval('public.sla_doel_id_seq'::regclass);


--
-- Name: user id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."user" ALTER COLUMN id SET DEFAULT nextval('public.user_id_seq'::regclass);


--
-- Name: werkbon id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.werkbon ALTER COLUMN id SET DEFAULT nextval('public.werkbon_id_seq'::regclass);


--
-- Name: werktype id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.werktype ALTER COLUMN id SET DEFAULT nextval('public.werktype_id_seq'::regclass);


--
-- Data for Name: api_token; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_log VALUES (1, 'klant', 1, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.111048', '{}');
INSERT INTO public.audit_log VALUES (2, 'klant', 2, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.112294', '{}');
INSERT INTO public.audit_log VALUES (3, 'klant', 3, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.113172', '{}');
INSERT INTO public.audit_log VALUES (4, 'klant', 4, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.114', '{}');
INSERT INTO public.audit_log VALUES (5, 'klant', 5, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.114855', '{}');
INSERT INTO public.audit_log VALUES (6, 'klant', 6, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.115614', '{}');
INSERT INTO public.audit_log VALUES (7, 'klant', 7, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.116387', '{}');
INSERT INTO public.audit_log VALUES (8, 'klant', 8, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.117226', '{}');
INSERT INTO public.audit_log VALUES (9, 'klant', 9, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.118142', '{}');
INSERT INTO public.audit_log VALUES (10, 'klant', 10, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.118939', '{}');
INSERT INTO public.audit_log VALUES (11, 'medewerker', 1, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.119966', '{}');
INSERT INTO public.audit_log VALUES (12, 'medewerker', 2, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.120713', '{}');
INSERT INTO public.audit_log VALUES (13, 'medewerker', 3, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.121517', '{}');
INSERT INTO public.audit_log VALUES (14, 'medewerker', 4, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.12228', '{}');
INSERT INTO public.audit_log VALUES (15, 'medewerker', 5, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.122978', '{}');
INSERT INTO public.audit_log VALUES (16, 'contract', 1, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.133836', '{"id": 1, "number": "C-2026-0001", "klant_id": 1, "contracttype": "preventief", "contracttype_name": "Preventief", "description": "Onderhoud cv-ketels complex Stationsweg", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-04-01", "end_date": "2027-03-31", "days_in_advance": 14, "schedule": {"rrule": "FREQ=MONTHLY;BYDAY=2TU", "holidays": "next_workday", "weekends": "next_workday", "extra_dates": [], "skip_dates": [], "description": "Elke maand op de 2e dinsdag; feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag"}, "visits_per_year": null, "sla_beleid_id": null, "werkbon": {"description": "Onderhoud cv-ketels complex Stationsweg", "werktype": "Onderhoud", "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": 1, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (17, 'contract', 2, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.14145', '{"id": 2, "number": "C-2026-0002", "klant_id": 2, "contracttype": "jaarlijks", "contracttype_name": "Jaarlijks aantal", "description": "Brandblusserinspectie bakkerij", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-02-01", "end_date": "2027-01-31", "days_in_advance": 21, "schedule": {"rrule": "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1", "holidays": "next_workday", "weekends": "next_workday", "extra_dates": [], "skip_dates": [], "description": "Elk halfjaar op de 1e; feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag"}, "visits_per_year": 2, "sla_beleid_id": null, "werkbon": {"description": "Brandblusserinspectie bakkerij", "werktype": "Inspectie", "duration_minutes": 45, "prioriteit": "Normaal", "start_time": "13:00", "medewerker_id": 2, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (18, 'contract', 3, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.14812', '{"id": 3, "number": "C-2026-0003", "klant_id": 3, "contracttype": "preventief", "contracttype_name": "Preventief", "description": "Legionellacontrole tappunten", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-09-01", "end_date": "2027-08-31", "days_in_advance": 7, "schedule": {"rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "holidays": "next_workday", "weekends": "next_workday", "extra_dates": [], "skip_dates": [], "description": "Elke 2 weken op maandag; feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag"}, "visits_per_year": null, "sla_beleid_id": null, "werkbon": {"description": "Legionellacontrole tappunten", "werktype": "Keuring", "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": null, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (19, 'contract', 4, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.155508', '{"id": 4, "number": "C-2026-0004", "klant_id": 4, "contracttype": "preventief", "contracttype_name": "Preventief", "description": "Airco-onderhoud sporthal (seizoen)", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-05-01", "end_date": "2027-04-30", "days_in_advance": 14, "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=15;BYMONTH=4,5,6,7,8,9,10", "holidays": "next_workday", "weekends": "next_workday", "extra_dates": [], "skip_dates": [], "description": "Elke maand op de 15e, van april t/m oktober; feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag"}, "visits_per_year": null, "sla_beleid_id": null, "werkbon": {"description": "Airco-onderhoud sporthal (seizoen)", "werktype": "Onderhoud", "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": 3, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (20, 'contract', 5, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.162081', '{"id": 5, "number": "C-2026-0005", "klant_id": 5, "contracttype": "correctief", "contracttype_name": "Correctief (SLA)", "description": "Storingsdienst 24/7 hotel", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-06-01", "end_date": "2027-05-31", "days_in_advance": 0, "schedule": null, "visits_per_year": null, "sla_beleid_id": 1, "werkbon": {"description": "Storingsdienst 24/7 hotel", "werktype": "Storing", "duration_minutes": 90, "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": null, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (21, 'contract', 6, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.169397', '{"id": 6, "number": "C-2026-0006", "klant_id": 7, "contracttype": "preventief", "contracttype_name": "Preventief", "description": "Onderhoud luchtbehandeling kantoorpand", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-07-01", "end_date": "2027-06-30", "days_in_advance": 10, "schedule": {"rrule": "FREQ=MONTHLY;BYDAY=-1FR", "holidays": "next_workday", "weekends": "next_workday", "extra_dates": [], "skip_dates": [], "description": "Elke maand op de laatste vrijdag; feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag"}, "visits_per_year": null, "sla_beleid_id": null, "werkbon": {"description": "Onderhoud luchtbehandeling kantoorpand", "werktype": "Onderhoud", "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": 4, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (22, 'contract', 7, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.175983', '{"id": 7, "number": "C-2026-0007", "klant_id": 10, "contracttype": "jaarlijks", "contracttype_name": "Jaarlijks aantal", "description": "Onderhoud cv-ketel woonhuis", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-01-01", "end_date": "2026-12-31", "days_in_advance": 30, "schedule": {"rrule": "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=1", "holidays": "next_workday", "weekends": "next_workday", "extra_dates": [], "skip_dates": [], "description": "Elk jaar op 1 januari; feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag"}, "visits_per_year": 1, "sla_beleid_id": null, "werkbon": {"description": "Onderhoud cv-ketel woonhuis", "werktype": "Onderhoud", "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": 5, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (23, 'contract', 8, 'aangemaakt', 'demo-data', '2026-12-05 08:50:03.185677', '{"id": 8, "number": "C-2026-0008", "klant_id": 6, "contracttype": "preventief", "contracttype_name": "Preventief", "description": "Inspectie speeltoestellen schoolplein", "reference": "", "contractvoorwaarden_id": 1, "start_date": "2026-08-01", "end_date": "2027-07-31", "days_in_advance": 14, "schedule": {"rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "holidays": "next_workday", "weekends": "next_workday", "extra_dates": [], "skip_dates": [], "description": "Elk kwartaal op de 31e (of de laatste dag van de maand); feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag"}, "visits_per_year": null, "sla_beleid_id": null, "werkbon": {"description": "Inspectie speeltoestellen schoolplein", "werktype": "Inspectie", "duration_minutes": 45, "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": null, "internal_note": ""}, "status": "actief", "version": 1}');
INSERT INTO public.audit_log VALUES (24, 'contract', 7, 'werkbonnen aangemaakt', 'demo-data', '2026-12-05 08:50:03.190387', '{"dates": ["2026-01-02"], "run": 1}');
INSERT INTO public.audit_log VALUES (25, 'contract', 2, 'werkbonnen aangemaakt', 'demo-data', '2026-12-05 08:50:03.190387', '{"dates": ["2026-02-02", "2026-08-03"], "run": 1}');
INSERT INTO public.audit_log VALUES (26, 'contract', 1, 'werkbonnen aangemaakt', 'demo-data', '2026-12-05 08:50:03.190387', '{"dates": ["2026-04-14", "2026-05-12", "2026-06-09", "2026-07-14", "2026-08-11", "2026-09-08", "2026-10-13", "2026-11-10", "2026-12-08"], "run": 1}');
INSERT INTO public.audit_log VALUES (27, 'contract', 4, 'werkbonnen aangemaakt', 'demo-data', '2026-12-05 08:50:03.190387', '{"dates": ["2026-05-15", "2026-06-15", "2026-07-15", "2026-08-17", "2026-09-15", "2026-10-15"], "run": 1}');
INSERT INTO public.audit_log VALUES (28, 'contract', 6, 'werkbonnen aangemaakt', 'demo-data', '2026-12-05 08:50:03.190387', '{"dates": ["2026-07-31", "2026-08-28", "2026-09-25", "2026-10-30", "2026-11-27"], "run": 1}');
INSERT INTO public.audit_log VALUES (29, 'contract', 8, 'werkbonnen aangemaakt', 'demo-data', '2026-12-05 08:50:03.190387', '{"dates": ["2026-08-31", "2026-11-30"], "run": 1}');
INSERT INTO public.audit_log VALUES (30, 'contract', 3, 'werkbonnen aangemaakt', 'demo-data', '2026-12-05 08:50:03.190387', '{"dates": ["2026-09-14", "2026-09-28", "2026-10-12", "2026-10-26", "2026-11-09", "2026-11-23", "2026-12-07"], "run": 1}');
INSERT INTO public.audit_log VALUES (31, 'werkbon', 1, 'afgerond', 'demo-data', '2026-12-05 08:50:03.21717', '{"status": ["ingepland", "afgerond"], "medewerker_id": [5, 5]}');
INSERT INTO public.audit_log VALUES (32, 'werkbon', 2, 'afgerond', 'demo-data', '2026-12-05 08:50:03.218037', '{"status": ["ingepland", "afgerond"], "medewerker_id": [2, 2]}');
INSERT INTO public.audit_log VALUES (33, 'werkbon', 4, 'afgerond', 'demo-data', '2026-12-05 08:50:03.218789', '{"status": ["ingepland", "afgerond"], "medewerker_id": [1, 1]}');
INSERT INTO public.audit_log VALUES (34, 'werkbon', 13, 'afgerond', 'demo-data', '2026-12-05 08:50:03.219538', '{"status": ["ingepland", "afgerond"], "medewerker_id": [3, 3]}');
INSERT INTO public.audit_log VALUES (35, 'werkbon', 6, 'afgerond', 'demo-data', '2026-12-05 08:50:03.220238', '{"status": ["ingepland", "afgerond"], "medewerker_id": [1, 1]}');
INSERT INTO public.audit_log VALUES (36, 'werkbon', 14, 'afgerond', 'demo-data', '2026-12-05 08:50:03.220926', '{"status": ["ingepland", "afgerond"], "medewerker_id": [3, 3]}');
INSERT INTO public.audit_log VALUES (37, 'werkbon', 7, 'afgerond', 'demo-data', '2026-12-05 08:50:03.22168', '{"status": ["ingepland", "afgerond"], "medewerker_id": [1, 1]}');
INSERT INTO public.audit_log VALUES (38, 'werkbon', 15, 'afgerond', 'demo-data', '2026-12-05 08:50:03.222373', '{"status": ["ingepland", "afgerond"], "medewerker_id": [3, 3]}');
INSERT INTO public.audit_log VALUES (39, 'werkbon', 19, 'afgerond', 'demo-data', '2026-12-05 08:50:03.223061', '{"status": ["ingepland", "afgerond"], "medewerker_id": [4, 4]}');
INSERT INTO public.audit_log VALUES (40, 'werkbon', 8, 'afgerond', 'demo-data', '2026-12-05 08:50:03.223747', '{"status": ["ingepland", "afgerond"], "medewerker_id": [1, 1]}');
INSERT INTO public.audit_log VALUES (41, 'werkbon', 16, 'afgerond', 'demo-data', '2026-12-05 08:50:03.224435', '{"status": ["ingepland", "afgerond"], "medewerker_id": [3, 3]}');
INSERT INTO public.audit_log VALUES (42, 'werkbon', 20, 'afgerond', 'demo-data', '2026-12-05 08:50:03.225162', '{"status": ["ingepland", "afgerond"], "medewerker_id": [4, 4]}');
INSERT INTO public.audit_log VALUES (43, 'werkbon', 24, 'afgerond', 'demo-data', '2026-12-05 08:50:03.225927', '{"status": ["open", "afgerond"], "medewerker_id": [null, 5]}');
INSERT INTO public.audit_log VALUES (44, 'werkbon', 9, 'afgerond', 'demo-data', '2026-12-05 08:50:03.226619', '{"status": ["ingepland", "afgerond"], "medewerker_id": [1, 1]}');
INSERT INTO public.audit_log VALUES (45, 'werkbon', 26, 'afgerond', 'demo-data', '2026-12-05 08:50:03.227411', '{"status": ["open", "afgerond"], "medewerker_id": [null, 2]}');
INSERT INTO public.audit_log VALUES (46, 'werkbon', 21, 'afgerond', 'demo-data', '2026-12-05 08:50:03.228111', '{"status": ["ingepland", "afgerond"], "medewerker_id": [4, 4]}');
INSERT INTO public.audit_log VALUES (47, 'werkbon', 27, 'afgerond', 'demo-data', '2026-12-05 08:50:03.228808', '{"status": ["open", "afgerond"], "medewerker_id": [null, 5]}');
INSERT INTO public.audit_log VALUES (48, 'werkbon', 28, 'afgerond', 'demo-data', '2026-12-05 08:50:03.22957', '{"status": ["open", "afgerond"], "medewerker_id": [null, 1]}');
INSERT INTO public.audit_log VALUES (49, 'werkbon', 10, 'afgerond', 'demo-data', '2026-12-05 08:50:03.230257', '{"status": ["ingepland", "afgerond"], "medewerker_id": [1, 1]}');
INSERT INTO public.audit_log VALUES (50, 'werkbon', 18, 'afgerond', 'demo-data', '2026-12-05 08:50:03.230939', '{"status": ["ingepland", "afgerond"], "medewerker_id": [3, 3]}');
INSERT INTO public.audit_log VALUES (51, 'werkbon', 29, 'afgerond', 'demo-data', '2026-12-05 08:50:03.231634', '{"status": ["open", "afgerond"], "medewerker_id": [null, 4]}');
INSERT INTO public.audit_log VALUES (52, 'werkbon', 30, 'afgerond', 'demo-data', '2026-12-05 08:50:03.232318', '{"status": ["open", "afgerond"], "medewerker_id": [null, 1]}');
INSERT INTO public.audit_log VALUES (53, 'werkbon', 11, 'afgerond', 'demo-data', '2026-12-05 08:50:03.233038', '{"status": ["ingepland", "afgerond"], "medewerker_id": [1, 1]}');
INSERT INTO public.audit_log VALUES (54, 'werkbon', 31, 'afgerond', 'demo-data', '2026-12-05 08:50:03.233734', '{"status": ["open", "afgerond"], "medewerker_id": [null, 3]}');
INSERT INTO public.audit_log VALUES (55, 'werkbon', 23, 'afgerond', 'demo-data', '2026-12-05 08:50:03.234417', '{"status": ["ingepland", "afgerond"], "medewerker_id": [4, 4]}');
INSERT INTO public.audit_log VALUES (56, 'werkbon', 33, 'storing gemeld', 'demo-data', '2026-12-05 08:50:03.242248', '{"prioriteit": "Normaal", "reported_at": "2026-12-01T09:00:00+01:00", "response_due": "2026-12-03T09:00:00+01:00", "resolve_due": "2026-12-08T09:00:00+01:00"}');
INSERT INTO public.audit_log VALUES (57, 'werkbon', 34, 'storing gemeld', 'demo-data', '2026-12-05 08:50:03.248502', '{"prioriteit": "Spoed", "reported_at": "2026-12-01T06:24:00+01:00", "response_due": "2026-12-01T10:24:00+01:00", "resolve_due": "2026-12-01T14:24:00+01:00"}');
INSERT INTO public.audit_log VALUES (58, 'werkbon', 35, 'storing gemeld', 'demo-data', '2026-12-05 08:50:03.254524', '{"prioriteit": "Hoog", "reported_at": "2026-11-28T02:00:00+01:00", "response_due": "2026-11-30T16:00:00+01:00", "resolve_due": "2026-12-01T15:00:00+01:00"}');
INSERT INTO public.audit_log VALUES (59, 'werkbon', 36, 'storing gemeld', 'demo-data', '2026-12-05 08:50:03.260467', '{"prioriteit": "Spoed", "reported_at": "2026-11-30T04:00:00+01:00", "response_due": "2026-11-30T08:00:00+01:00", "resolve_due": "2026-11-30T12:00:00+01:00"}');
INSERT INTO public.audit_log VALUES (60, 'werkbon', 36, 'afgerond', 'demo-data', '2026-12-05 08:50:03.261472', '{"status": ["open", "afgerond"], "medewerker_id": [null, 4]}');
INSERT INTO public.audit_log VALUES (61, 'werkbon', 37, 'storing gemeld', 'demo-data', '2026-12-05 08:50:03.267482', '{"prioriteit": "Hoog", "reported_at": "2026-11-23T02:00:00+01:00", "response_due": "2026-11-23T16:00:00+01:00", "resolve_due": "2026-11-24T15:00:00+01:00"}');
INSERT INTO public.audit_log VALUES (62, 'werkbon', 37, 'afgerond', 'demo-data', '2026-12-05 08:50:03.268387', '{"status": ["open", "afgerond"], "medewerker_id": [null, 5]}');


--
-- Data for Name: bedrijfsinstelling; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: beeindigingsreden; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.beeindigingsreden VALUES (1, 'KLANT', 'Opgezegd door de klant', true);
INSERT INTO public.beeindigingsreden VALUES (2, 'VERHUISD', 'Klant is verhuisd', true);
INSERT INTO public.beeindigingsreden VALUES (3, 'FAILLIET', 'Klant is failliet', true);
INSERT INTO public.beeindigingsreden VALUES (4, 'VERVANGEN', 'Vervangen door een nieuw contract', true);
INSERT INTO public.beeindigingsreden VALUES (5, 'ANDERS', 'Andere reden', true);


--
-- Data for Name: closure_day; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: contract; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.contract VALUES (7, 'C-2026-0007', 10, 3, 'jaarlijks', 1, 'Onderhoud cv-ketel woonhuis', '', '2026-01-01', '2026-12-31', 'FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=1', 'next_workday', 'next_workday', '[]', '[]', 30, 1, NULL, 'Onderhoud cv-ketel woonhuis', 1, 60, 3, '08:30', 5, '', NULL, NULL, '', 1, '2026-01-01', '2026-12-31', '2026-12-05', 'demo-data', '2026-12-05 08:50:03.175119', '2026-12-05 08:50:03.175124');
INSERT INTO public.contract VALUES (2, 'C-2026-0002', 2, 3, 'jaarlijks', 1, 'Brandblusserinspectie bakkerij', '', '2026-02-01', '2027-01-31', 'FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1', 'next_workday', 'next_workday', '[]', '[]', 21, 2, NULL, 'Brandblusserinspectie bakkerij', 2, 45, 3, '13:00', 2, '', NULL, NULL, '', 1, '2026-02-01', '2026-12-22', '2027-01-11', 'demo-data', '2026-12-05 08:50:03.140264', '2026-12-05 08:50:03.14027');
INSERT INTO public.contract VALUES (1, 'C-2026-0001', 1, 1, 'preventief', 1, 'Onderhoud cv-ketels complex Stationsweg', '', '2026-04-01', '2027-03-31', 'FREQ=MONTHLY;BYDAY=2TU', 'next_workday', 'next_workday', '[]', '[]', 14, NULL, NULL, 'Onderhoud cv-ketels complex Stationsweg', 1, 60, 3, '08:30', 1, '', NULL, NULL, '', 1, '2026-04-01', '2026-12-15', '2026-12-29', 'demo-data', '2026-12-05 08:50:03.132081', '2026-12-05 08:50:03.132088');
INSERT INTO public.contract VALUES (4, 'C-2026-0004', 4, 1, 'preventief', 1, 'Airco-onderhoud sporthal (seizoen)', '', '2026-05-01', '2027-04-30', 'FREQ=MONTHLY;BYMONTHDAY=15;BYMONTH=4,5,6,7,8,9,10', 'next_workday', 'next_workday', '[]', '[]', 14, NULL, NULL, 'Airco-onderhoud sporthal (seizoen)', 1, 60, 3, '08:30', 3, '', NULL, NULL, '', 1, '2026-05-01', '2026-12-15', '2027-04-01', 'demo-data', '2026-12-05 08:50:03.154501', '2026-12-05 08:50:03.154509');
INSERT INTO public.contract VALUES (5, 'C-2026-0005', 5, 2, 'correctief', 1, 'Storingsdienst 24/7 hotel', '', '2026-06-01', '2027-05-31', NULL, 'ignore', 'ignore', '[]', '[]', 0, NULL, 1, 'Storingsdienst 24/7 hotel', 3, 90, 3, '08:30', NULL, '', NULL, NULL, '', 1, '2026-06-01', NULL, NULL, 'demo-data', '2026-12-05 08:50:03.16103', '2026-12-05 08:50:03.161036');
INSERT INTO public.contract VALUES (6, 'C-2026-0006', 7, 1, 'preventief', 1, 'Onderhoud luchtbehandeling kantoorpand', '', '2026-07-01', '2027-06-30', 'FREQ=MONTHLY;BYDAY=-1FR', 'next_workday', 'next_workday', '[]', '[]', 10, NULL, NULL, 'Onderhoud luchtbehandeling kantoorpand', 1, 60, 3, '08:30', 4, '', NULL, NULL, '', 1, '2026-07-01', '2026-12-11', '2026-12-18', 'demo-data', '2026-12-05 08:50:03.168318', '2026-12-05 08:50:03.168323');
INSERT INTO public.contract VALUES (8, 'C-2026-0008', 6, 1, 'preventief', 1, 'Inspectie speeltoestellen schoolplein', '', '2026-08-01', '2027-07-31', 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1', 'next_workday', 'next_workday', '[]', '[]', 14, NULL, NULL, 'Inspectie speeltoestellen schoolplein', 2, 45, 3, '08:30', NULL, '', NULL, NULL, '', 1, '2026-08-01', '2026-12-15', '2027-02-15', 'demo-data', '2026-12-05 08:50:03.180784', '2026-12-05 08:50:03.18079');
INSERT INTO public.contract VALUES (3, 'C-2026-0003', 3, 1, 'preventief', 1, 'Legionellacontrole tappunten', '', '2026-09-01', '2027-08-31', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'next_workday', 'next_workday', '[]', '[]', 7, NULL, NULL, 'Legionellacontrole tappunten', 5, 60, 3, '08:30', NULL, '', NULL, NULL, '', 1, '2026-09-01', '2026-12-08', '2026-12-14', 'demo-data', '2026-12-05 08:50:03.147149', '2026-12-05 08:50:03.147155');


--
-- Data for Name: contract_draft; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: contracttype; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.contracttype VALUES (1, 'Preventief', 'preventief', 'Gepland terugkerend onderhoud volgens een schema.', 14, 1, 60, true);
INSERT INTO public.contracttype VALUES (2, 'Correctief (SLA)', 'correctief', 'Storingsdienst: werkbonnen bij melding, met reactie- en oplostijden.', 0, 3, 90, true);
INSERT INTO public.contracttype VALUES (3, 'Jaarlijks aantal', 'jaarlijks', 'Een vast aantal bezoeken per contractjaar, gelijk verdeeld.', 14, 2, 45, true);


--
-- Data for Name: contractvoorwaarden; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.contractvoorwaarden VALUES (1, 'STD-1J', 'Standaard 1 jaar', 'Looptijd 1 jaar, daarna stilzwijgend verlengd met telkens 1 jaar; opzegtermijn 1 maand; jaarlijkse facturering vooraf.', 12, true, 12, 1, 'maanden', 'jaar', true);
INSERT INTO public.contractvoorwaarden VALUES (2, 'MJ-3J', 'Meerjarig 3 jaar', 'Vaste looptijd van 3 jaar zonder automatische verlenging; opzegtermijn 3 maanden; facturering per kwartaal.', 36, false, 12, 3, 'maanden', 'kwartaal', true);


--
-- Data for Name: counter; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.counter VALUES ('W-2026', 37);


--
-- Data for Name: generation_run; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.generation_run VALUES (1, '2026-12-05 08:50:03.186873', '2026-12-05 08:50:03.203044', '2026-12-01', 'demo', 8, 32, 0, 0, '{"5": "geen schema (werkbonnen ontstaan bij een melding)"}', '');


--
-- Data for Name: holiday_setting; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: klant; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.klant VALUES (1, 'D-10001', 'Woningcorporatie De Linge', 'Stationsweg', '12', '4141 HD', 'Leerdam', 'beheer@delinge.nl', '0345-612300', true, '2026-12-05 08:50:03.110006');
INSERT INTO public.klant VALUES (2, 'D-10002', 'Bakkerij Van den Berg', 'Oudegracht', '201', '3511 NM', 'Utrecht', 'info@bakkerijvandenberg.nl', '030-2314455', true, '2026-12-05 08:50:03.111802');
INSERT INTO public.klant VALUES (3, 'D-10003', 'Zorgcentrum Het Baken', 'Burgemeester de Withstraat', '44', '5331 KJ', 'Kerkdriel', 'facilitair@hetbaken.nl', '0418-631900', true, '2026-12-05 08:50:03.112667');
INSERT INTO public.klant VALUES (4, 'D-10004', 'Sportcentrum De Vliet', 'Vlietweg', '7', '2266 KA', 'Leidschendam', 'receptie@devliet.nl', '070-3205566', true, '2026-12-05 08:50:03.113564');
INSERT INTO public.klant VALUES (5, 'D-10005', 'Hotel Aan de Maas', 'Boompjes', '550', '3011 XZ', 'Rotterdam', 'technischedienst@hotelmaas.nl', '010-4139900', true, '2026-12-05 08:50:03.114332');
INSERT INTO public.klant VALUES (6, 'D-10006', 'Basisschool De Regenboog', 'Kerkstraat', '3', '9711 HC', 'Groningen', 'administratie@deregenboog-gr.nl', '050-3124578', true, '2026-12-05 08:50:03.115232');
INSERT INTO public.klant VALUES (7, 'D-10007', 'Kantoorpand Zuidas B.V.', 'Gustav Mahlerlaan', '1025', '1082 MK', 'Amsterdam', 'facility@zuidaspand.nl', '020-5751200', true, '2026-12-05 08:50:03.116011');
INSERT INTO public.klant VALUES (8, 'D-10008', 'Garage Jansen & Zn.', 'Eindhovenseweg', '88', '5582 HR', 'Waalre', 'werkplaats@garagejansen.nl', '040-2214567', true, '2026-12-05 08:50:03.116705');
INSERT INTO public.klant VALUES (9, 'D-10009', 'Restaurant De Gouden Leeuw', 'Markt', '15', '6211 CK', 'Maastricht', 'keuken@goudenleeuw.nl', '043-3215678', true, '2026-12-05 08:50:03.11766');
INSERT INTO public.klant VALUES (10, 'D-10010', 'Familie De Vries', 'Lindelaan', '23', '7514 CD', 'Enschede', 'm.devries@example.nl', '06-12345678', true, '2026-12-05 08:50:03.118475');


--
-- Data for Name: medewerker; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.medewerker VALUES (1, 'P-001', 'Jeroen Bakker', 'jeroen.bakker@cadans-demo.nl', '06-21436587', true, '2026-12-05 08:50:03.119268');
INSERT INTO public.medewerker VALUES (2, 'P-002', 'Fatima El Amrani', 'fatima.elamrani@cadans-demo.nl', '06-34251678', true, '2026-12-05 08:50:03.120376');
INSERT INTO public.medewerker VALUES (3, 'P-003', 'Sven de Groot', 'sven.degroot@cadans-demo.nl', '06-45362718', true, '2026-12-05 08:50:03.12109');
INSERT INTO public.medewerker VALUES (4, 'P-004', 'Lotte Visser', 'lotte.visser@cadans-demo.nl', '06-56473829', true, '2026-12-05 08:50:03.1219');
INSERT INTO public.medewerker VALUES (5, 'P-005', 'Mehmet Yilmaz', 'mehmet.yilmaz@cadans-demo.nl', '06-67584930', true, '2026-12-05 08:50:03.122633');


--
-- Data for Name: prioriteit; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.prioriteit VALUES (1, 'Spoed', 0, true);
INSERT INTO public.prioriteit VALUES (2, 'Hoog', 1, true);
INSERT INTO public.prioriteit VALUES (3, 'Normaal', 2, true);
INSERT INTO public.prioriteit VALUES (4, 'Laag', 3, true);


--
-- Data for Name: schema_migration; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_migration VALUES (1, 'gebruikers, klanten, medewerkers, audit, instellingen', '2026-12-05 08:50:02.718984');
INSERT INTO public.schema_migration VALUES (2, 'contracten, concepten en hun instellingen (met standaardwaarden)', '2026-12-05 08:50:02.766233');
INSERT INTO public.schema_migration VALUES (3, 'werkbonnen, nummering, generatieruns; contract onthoudt zijn volgende beurt', '2026-12-05 08:50:02.806067');
INSERT INTO public.schema_migration VALUES (4, 'SLA-doelen per prioriteit (met versies), werktijden, SLA-tijden op werkbonnen', '2026-12-05 08:50:02.862101');
INSERT INTO public.schema_migration VALUES (5, 'een beschermde werkbon onthoudt voor welke nieuwe datum hij telt', '2026-12-05 08:50:02.873895');
INSERT INTO public.schema_migration VALUES (6, 'sessiesleutel per gebruiker: afmelden en wachtwoord wijzigen beëindigen sessies', '2026-12-05 08:50:02.880785');
INSERT INTO public.schema_migration VALUES (7, 'de werkbonnenlijst opent op wat nog te doen is: index op open werkbonnen', '2026-12-05 08:50:02.883138');


--
-- Data for Name: sla_beleid; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.sla_beleid VALUES (1, 'STANDAARD', 'Standaard', 'Spoed 4/8 uur, Hoog 8/16 werkuren, Normaal 2/5 werkdagen, Laag 5/10 werkdagen.', true);


--
-- Data for Name: sla_doel; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.sla_doel VALUES (1, 1, 1, 1, 4, 8, 'uren', false);
INSERT INTO public.sla_doel VALUES (2, 1, 1, 2, 8, 16, 'uren', true);
INSERT INTO public.sla_doel VALUES (3, 1, 1, 3, 2, 5, 'dagen', true);
INSERT INTO public.sla_doel VALUES (4, 1, 1, 4, 5, 10, 'dagen', true);


--
-- Data for Name: user; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."user" VALUES (1, 'beheerder', 'Bea Beheer', 'not-a-password-hash', 'beheerder', true, '2026-12-05 08:50:02.884807', 'mP_WIXCcwCMKUsfEwLRROQ');
INSERT INTO public."user" VALUES (2, 'planner', 'Piet Planner', 'not-a-password-hash', 'planner', true, '2026-12-05 08:50:02.9976', 'AgH83WTELMczbPB1SHYxwg');


--
-- Data for Name: werkbon; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.werkbon VALUES (5, 'W-2026-000005', 1, 1, '2026-05-12', '2026-04-28', 'ingepland', 1, '2026-05-12 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (12, 'W-2026-000012', 1, 1, '2026-12-08', '2026-11-24', 'ingepland', 1, '2026-12-08 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (3, 'W-2026-000003', 2, 2, '2026-08-03', '2026-07-13', 'ingepland', 2, '2026-08-03 13:00:00', 45, 'Brandblusserinspectie bakkerij', 'Inspectie', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (32, 'W-2026-000032', 3, 3, '2026-12-07', '2026-11-30', 'open', NULL, NULL, 60, 'Legionellacontrole tappunten', 'Keuring', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (17, 'W-2026-000017', 4, 4, '2026-09-15', '2026-09-01', 'ingepland', 3, '2026-09-15 08:30:00', 60, 'Airco-onderhoud sporthal (seizoen)', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (22, 'W-2026-000022', 6, 7, '2026-10-30', '2026-10-20', 'ingepland', 4, '2026-10-30 08:30:00', 60, 'Onderhoud luchtbehandeling kantoorpand', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (25, 'W-2026-000025', 8, 6, '2026-11-30', '2026-11-16', 'open', NULL, NULL, 45, 'Inspectie speeltoestellen schoolplein', 'Inspectie', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (1, 'W-2026-000001', 7, 10, '2026-01-02', '2026-01-01', 'afgerond', 5, '2026-01-02 08:30:00', 60, 'Onderhoud cv-ketel woonhuis', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (2, 'W-2026-000002', 2, 2, '2026-02-02', '2026-02-01', 'afgerond', 2, '2026-02-02 13:00:00', 45, 'Brandblusserinspectie bakkerij', 'Inspectie', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (4, 'W-2026-000004', 1, 1, '2026-04-14', '2026-04-01', 'afgerond', 1, '2026-04-14 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (13, 'W-2026-000013', 4, 4, '2026-05-15', '2026-05-01', 'afgerond', 3, '2026-05-15 08:30:00', 60, 'Airco-onderhoud sporthal (seizoen)', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (6, 'W-2026-000006', 1, 1, '2026-06-09', '2026-05-26', 'afgerond', 1, '2026-06-09 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (14, 'W-2026-000014', 4, 4, '2026-06-15', '2026-06-01', 'afgerond', 3, '2026-06-15 08:30:00', 60, 'Airco-onderhoud sporthal (seizoen)', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (7, 'W-2026-000007', 1, 1, '2026-07-14', '2026-06-30', 'afgerond', 1, '2026-07-14 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (15, 'W-2026-000015', 4, 4, '2026-07-15', '2026-07-01', 'afgerond', 3, '2026-07-15 08:30:00', 60, 'Airco-onderhoud sporthal (seizoen)', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (19, 'W-2026-000019', 6, 7, '2026-07-31', '2026-07-21', 'afgerond', 4, '2026-07-31 08:30:00', 60, 'Onderhoud luchtbehandeling kantoorpand', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (8, 'W-2026-000008', 1, 1, '2026-08-11', '2026-07-28', 'afgerond', 1, '2026-08-11 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (16, 'W-2026-000016', 4, 4, '2026-08-17', '2026-08-03', 'afgerond', 3, '2026-08-17 08:30:00', 60, 'Airco-onderhoud sporthal (seizoen)', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (20, 'W-2026-000020', 6, 7, '2026-08-28', '2026-08-18', 'afgerond', 4, '2026-08-28 08:30:00', 60, 'Onderhoud luchtbehandeling kantoorpand', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (24, 'W-2026-000024', 8, 6, '2026-08-31', '2026-08-17', 'afgerond', 5, '2026-08-31 08:30:00', 45, 'Inspectie speeltoestellen schoolplein', 'Inspectie', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (9, 'W-2026-000009', 1, 1, '2026-09-08', '2026-08-25', 'afgerond', 1, '2026-09-08 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (26, 'W-2026-000026', 3, 3, '2026-09-14', '2026-09-07', 'afgerond', 2, '2026-09-14 08:30:00', 60, 'Legionellacontrole tappunten', 'Keuring', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (21, 'W-2026-000021', 6, 7, '2026-09-25', '2026-09-15', 'afgerond', 4, '2026-09-25 08:30:00', 60, 'Onderhoud luchtbehandeling kantoorpand', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (27, 'W-2026-000027', 3, 3, '2026-09-28', '2026-09-21', 'afgerond', 5, '2026-09-28 08:30:00', 60, 'Legionellacontrole tappunten', 'Keuring', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (28, 'W-2026-000028', 3, 3, '2026-10-12', '2026-10-05', 'afgerond', 1, '2026-10-12 08:30:00', 60, 'Legionellacontrole tappunten', 'Keuring', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (10, 'W-2026-000010', 1, 1, '2026-10-13', '2026-09-29', 'afgerond', 1, '2026-10-13 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (18, 'W-2026-000018', 4, 4, '2026-10-15', '2026-10-01', 'afgerond', 3, '2026-10-15 08:30:00', 60, 'Airco-onderhoud sporthal (seizoen)', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (29, 'W-2026-000029', 3, 3, '2026-10-26', '2026-10-19', 'afgerond', 4, '2026-10-26 08:30:00', 60, 'Legionellacontrole tappunten', 'Keuring', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (30, 'W-2026-000030', 3, 3, '2026-11-09', '2026-11-02', 'afgerond', 1, '2026-11-09 08:30:00', 60, 'Legionellacontrole tappunten', 'Keuring', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (11, 'W-2026-000011', 1, 1, '2026-11-10', '2026-10-27', 'afgerond', 1, '2026-11-10 08:30:00', 60, 'Onderhoud cv-ketels complex Stationsweg', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (31, 'W-2026-000031', 3, 3, '2026-11-23', '2026-11-16', 'afgerond', 3, '2026-11-23 08:30:00', 60, 'Legionellacontrole tappunten', 'Keuring', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (23, 'W-2026-000023', 6, 7, '2026-11-27', '2026-11-17', 'afgerond', 4, '2026-11-27 08:30:00', 60, 'Onderhoud luchtbehandeling kantoorpand', 'Onderhoud', 'Normaal', '', false, '', '2026-12-05 08:50:03.190387', '2026-12-05 08:50:03.190387', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public.werkbon VALUES (33, 'W-2026-000033', 5, 5, '2026-12-08', '2026-12-01', 'open', NULL, NULL, 90, 'Radiator kamer 214 blijft koud', 'Storing', 'Normaal', '', false, '', '2026-12-05 08:50:03.241602', '2026-12-05 08:50:03.241605', '2026-12-01 08:00:00', '2026-12-03 08:00:00', '2026-12-08 08:00:00', NULL, NULL, 1, true, NULL);
INSERT INTO public.werkbon VALUES (34, 'W-2026-000034', 5, 5, '2026-12-01', '2026-12-01', 'open', NULL, NULL, 90, 'Lekkage bij de cv-ketel in de kelder', 'Storing', 'Spoed', '', false, '', '2026-12-05 08:50:03.247606', '2026-12-05 08:50:03.24761', '2026-12-01 05:24:00', '2026-12-01 09:24:00', '2026-12-01 13:24:00', NULL, NULL, 1, false, NULL);
INSERT INTO public.werkbon VALUES (35, 'W-2026-000035', 5, 5, '2026-12-01', '2026-11-28', 'open', NULL, NULL, 90, 'Warm water valt steeds weg in vleugel B', 'Storing', 'Hoog', '', false, '', '2026-12-05 08:50:03.253892', '2026-12-05 08:50:03.253895', '2026-11-28 01:00:00', '2026-11-30 15:00:00', '2026-12-01 14:00:00', NULL, NULL, 1, true, NULL);
INSERT INTO public.werkbon VALUES (36, 'W-2026-000036', 5, 5, '2026-11-30', '2026-11-30', 'afgerond', 4, '2026-11-30 04:45:00', 90, 'Storing luchtbehandeling keuken', 'Storing', 'Spoed', '', false, '', '2026-12-05 08:50:03.259791', '2026-12-05 08:50:03.259794', '2026-11-30 03:00:00', '2026-11-30 07:00:00', '2026-11-30 11:00:00', '2026-11-30 03:45:00', '2026-11-30 10:00:00', 1, false, NULL);
INSERT INTO public.werkbon VALUES (37, 'W-2026-000037', 5, 5, '2026-11-24', '2026-11-23', 'afgerond', 5, '2026-11-23 02:45:00', 90, 'Foutcode E119 op ketel 2', 'Storing', 'Hoog', '', false, '', '2026-12-05 08:50:03.26673', '2026-12-05 08:50:03.266733', '2026-11-23 01:00:00', '2026-11-23 15:00:00', '2026-11-24 14:00:00', '2026-11-23 01:45:00', '2026-11-24 19:00:00', 1, true, NULL);


--
-- Data for Name: werktype; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.werktype VALUES (1, 'Onderhoud', 60, true);
INSERT INTO public.werktype VALUES (2, 'Inspectie', 45, true);
INSERT INTO public.werktype VALUES (3, 'Storing', 90, true);
INSERT INTO public.werktype VALUES (4, 'Installatie', 240, true);
INSERT INTO public.werktype VALUES (5, 'Keuring', 60, true);


--
-- Name: api_token_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_token_id_seq', 1, false);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 62, true);


--
-- Name: beeindigingsreden_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.beeindigingsreden_id_seq', 5, true);


--
-- Name: closure_day_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.closure_day_id_seq', 1, false);


--
-- Name: contract_draft_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.contract_draft_id_seq', 1, false);


--
-- Name: contract_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.contract_id_seq', 8, true);


--
-- Name: contracttype_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.contracttype_id_seq', 3, true);


--
-- Name: contractvoorwaarden_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.contractvoorwaarden_id_seq', 2, true);


--
-- Name: generation_run_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.generation_run_id_seq', 1, true);


--
-- Name: holiday_setting_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.holiday_setting_id_seq', 1, false);


--
-- Name: klant_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.klant_id_seq', 10, true);


--
-- Name: medewerker_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.medewerker_id_seq', 5, true);


--
-- Name: prioriteit_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.prioriteit_id_seq', 4, true);


--
-- Name: sla_beleid_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.sla_beleid_id_seq', 1, true);


--
-- Name: sla_doel_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.sla_doel_id_seq', 4, true);


--
-- Name: user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.user_id_seq', 2, true);


--
-- Name: werkbon_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.werkbon_id_seq', 37, true);


--
-- Name: werktype_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.werktype_id_seq', 5, true);


--
-- Name: api_token api_token_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_token
    ADD CONSTRAINT api_token_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: bedrijfsinstelling bedrijfsinstelling_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bedrijfsinstelling
    ADD CONSTRAINT bedrijfsinstelling_pkey PRIMARY KEY (key);


--
-- Name: beeindigingsreden beeindigingsreden_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.beeindigingsreden
    ADD CONSTRAINT beeindigingsreden_pkey PRIMARY KEY (id);


--
-- Name: closure_day closure_day_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.closure_day
    ADD CONSTRAINT closure_day_pkey PRIMARY KEY (id);


--
-- Name: contract_draft contract_draft_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_draft
    ADD CONSTRAINT contract_draft_pkey PRIMARY KEY (id);


--
-- Name: contract contract_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_pkey PRIMARY KEY (id);


--
-- Name: contracttype contracttype_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracttype
    ADD CONSTRAINT contracttype_pkey PRIMARY KEY (id);


--
-- Name: contractvoorwaarden contractvoorwaarden_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractvoorwaarden
    ADD CONSTRAINT contractvoorwaarden_pkey PRIMARY KEY (id);


--
-- Name: counter counter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counter
    ADD CONSTRAINT counter_pkey PRIMARY KEY (name);


--
-- Name: generation_run generation_run_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.generation_run
    ADD CONSTRAINT generation_run_pkey PRIMARY KEY (id);


--
-- Name: holiday_setting holiday_setting_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.holiday_setting
    ADD CONSTRAINT holiday_setting_pkey PRIMARY KEY (id);


--
-- Name: klant klant_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.klant
    ADD CONSTRAINT klant_pkey PRIMARY KEY (id);


--
-- Name: medewerker medewerker_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.medewerker
    ADD CONSTRAINT medewerker_pkey PRIMARY KEY (id);


--
-- Name: prioriteit prioriteit_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prioriteit
    ADD CONSTRAINT prioriteit_pkey PRIMARY KEY (id);


--
-- Name: schema_migration schema_migration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migration
    ADD CONSTRAINT schema_migration_pkey PRIMARY KEY (version);


--
-- Name: sla_beleid sla_beleid_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_beleid
    ADD CONSTRAINT sla_beleid_pkey PRIMARY KEY (id);


--
-- Name: sla_doel sla_doel_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_doel
    ADD CONSTRAINT sla_doel_pkey PRIMARY KEY (id);


--
-- Name: user user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."user"
    ADD CONSTRAINT user_pkey PRIMARY KEY (id);


--
-- Name: werkbon werkbon_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.werkbon
    ADD CONSTRAINT werkbon_pkey PRIMARY KEY (id);


--
-- Name: werktype werktype_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.werktype
    ADD CONSTRAINT werktype_pkey PRIMARY KEY (id);


--
-- Name: api_token_token_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX api_token_token_hash ON public.api_token USING btree (token_hash);


--
-- Name: api_token_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_token_user_id ON public.api_token USING btree (user_id);


--
-- Name: audit_log_entity_entity_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_entity_entity_id ON public.audit_log USING btree (entity, entity_id);


--
-- Name: beeindigingsreden_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX beeindigingsreden_code ON public.beeindigingsreden USING btree (code);


--
-- Name: closure_day_date; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX closure_day_date ON public.closure_day USING btree (date);


--
-- Name: contract_contracttype_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_contracttype_id ON public.contract USING btree (contracttype_id);


--
-- Name: contract_draft_contract_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_draft_contract_id ON public.contract_draft USING btree (contract_id);


--
-- Name: contract_draft_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_draft_user_id ON public.contract_draft USING btree (user_id);


--
-- Name: contract_draft_user_id_contract_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_draft_user_id_contract_id ON public.contract_draft USING btree (user_id, contract_id);


--
-- Name: contract_end_reason_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_end_reason_id ON public.contract USING btree (end_reason_id);


--
-- Name: contract_kind; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_kind ON public.contract USING btree (kind);


--
-- Name: contract_klant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_klant_id ON public.contract USING btree (klant_id);


--
-- Name: contract_medewerker_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_medewerker_id ON public.contract USING btree (medewerker_id);


--
-- Name: contract_next_attention; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_next_attention ON public.contract USING btree (next_attention);


--
-- Name: contract_number; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX contract_number ON public.contract USING btree (number);


--
-- Name: contract_prioriteit_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_prioriteit_id ON public.contract USING btree (prioriteit_id);


--
-- Name: contract_sla_beleid_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_sla_beleid_id ON public.contract USING btree (sla_beleid_id);


--
-- Name: contract_voorwaarden_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_voorwaarden_id ON public.contract USING btree (voorwaarden_id);


--
-- Name: contract_werktype_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_werktype_id ON public.contract USING btree (werktype_id);


--
-- Name: contracttype_default_werktype_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracttype_default_werktype_id ON public.contracttype USING btree (default_werktype_id);


--
-- Name: contracttype_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX contracttype_name ON public.contracttype USING btree (name);


--
-- Name: contractvoorwaarden_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX contractvoorwaarden_code ON public.contractvoorwaarden USING btree (code);


--
-- Name: holiday_setting_kind; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX holiday_setting_kind ON public.holiday_setting USING btree (kind);


--
-- Name: klant_city; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX klant_city ON public.klant USING btree (city);


--
-- Name: klant_customer_number; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX klant_customer_number ON public.klant USING btree (customer_number);


--
-- Name: klant_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX klant_name ON public.klant USING btree (name);


--
-- Name: medewerker_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX medewerker_name ON public.medewerker USING btree (name);


--
-- Name: medewerker_personnel_number; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX medewerker_personnel_number ON public.medewerker USING btree (personnel_number);


--
-- Name: prioriteit_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX prioriteit_name ON public.prioriteit USING btree (name);


--
-- Name: sla_beleid_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX sla_beleid_code ON public.sla_beleid USING btree (code);


--
-- Name: sla_doel_prioriteit_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_doel_prioriteit_id ON public.sla_doel USING btree (prioriteit_id);


--
-- Name: sla_doel_sla_beleid_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_doel_sla_beleid_id ON public.sla_doel USING btree (sla_beleid_id);


--
-- Name: sla_doel_sla_beleid_id_version_prioriteit_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX sla_doel_sla_beleid_id_version_prioriteit_id ON public.sla_doel USING btree (sla_beleid_id, version, prioriteit_id);


--
-- Name: user_username; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX user_username ON public."user" USING btree (username);


--
-- Name: werkbon_contract_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_contract_id ON public.werkbon USING btree (contract_id);


--
-- Name: werkbon_contract_id_due_date; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX werkbon_contract_id_due_date ON public.werkbon USING btree (contract_id, due_date) WHERE (reported_at IS NULL);


--
-- Name: werkbon_due_date_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_due_date_id ON public.werkbon USING btree (due_date, id);


--
-- Name: werkbon_klant_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_klant_id ON public.werkbon USING btree (klant_id);


--
-- Name: werkbon_medewerker_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_medewerker_id ON public.werkbon USING btree (medewerker_id);


--
-- Name: werkbon_medewerker_id_planned_start; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_medewerker_id_planned_start ON public.werkbon USING btree (medewerker_id, planned_start);


--
-- Name: werkbon_number; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX werkbon_number ON public.werkbon USING btree (number);


--
-- Name: werkbon_open_due_date_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_open_due_date_id ON public.werkbon USING btree (due_date, id) WHERE ((status)::text <> ALL ((ARRAY['afgerond'::character varying, 'geannuleerd'::character varying])::text[]));


--
-- Name: werkbon_resolve_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_resolve_due ON public.werkbon USING btree (resolve_due);


--
-- Name: werkbon_stands_for_contract_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_stands_for_contract_id ON public.werkbon USING btree (stands_for, contract_id) WHERE (stands_for IS NOT NULL);


--
-- Name: werkbon_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX werkbon_status ON public.werkbon USING btree (status);


--
-- Name: werktype_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX werktype_name ON public.werktype USING btree (name);


--
-- Name: api_token api_token_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_token
    ADD CONSTRAINT api_token_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: contract contract_contracttype_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_contracttype_id_fkey FOREIGN KEY (contracttype_id) REFERENCES public.contracttype(id) ON DELETE RESTRICT;


--
-- Name: contract_draft contract_draft_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_draft
    ADD CONSTRAINT contract_draft_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contract(id) ON DELETE CASCADE;


--
-- Name: contract_draft contract_draft_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_draft
    ADD CONSTRAINT contract_draft_user_id_fkey FOREIGN KEY (user_id) REFERENCES public."user"(id) ON DELETE CASCADE;


--
-- Name: contract contract_end_reason_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_end_reason_id_fkey FOREIGN KEY (end_reason_id) REFERENCES public.beeindigingsreden(id) ON DELETE RESTRICT;


--
-- Name: contract contract_klant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_klant_id_fkey FOREIGN KEY (klant_id) REFERENCES public.klant(id) ON DELETE RESTRICT;


--
-- Name: contract contract_medewerker_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_medewerker_id_fkey FOREIGN KEY (medewerker_id) REFERENCES public.medewerker(id) ON DELETE RESTRICT;


--
-- Name: contract contract_prioriteit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_prioriteit_id_fkey FOREIGN KEY (prioriteit_id) REFERENCES public.prioriteit(id) ON DELETE RESTRICT;


--
-- Name: contract contract_sla_beleid_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_sla_beleid_id_fkey FOREIGN KEY (sla_beleid_id) REFERENCES public.sla_beleid(id) ON DELETE RESTRICT;


--
-- Name: contract contract_voorwaarden_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_voorwaarden_id_fkey FOREIGN KEY (voorwaarden_id) REFERENCES public.contractvoorwaarden(id) ON DELETE RESTRICT;


--
-- Name: contract contract_werktype_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract
    ADD CONSTRAINT contract_werktype_id_fkey FOREIGN KEY (werktype_id) REFERENCES public.werktype(id) ON DELETE RESTRICT;


--
-- Name: contracttype contracttype_default_werktype_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracttype
    ADD CONSTRAINT contracttype_default_werktype_id_fkey FOREIGN KEY (default_werktype_id) REFERENCES public.werktype(id) ON DELETE SET NULL;


--
-- Name: sla_doel sla_doel_prioriteit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_doel
    ADD CONSTRAINT sla_doel_prioriteit_id_fkey FOREIGN KEY (prioriteit_id) REFERENCES public.prioriteit(id) ON DELETE RESTRICT;


--
-- Name: sla_doel sla_doel_sla_beleid_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_doel
    ADD CONSTRAINT sla_doel_sla_beleid_id_fkey FOREIGN KEY (sla_beleid_id) REFERENCES public.sla_beleid(id) ON DELETE CASCADE;


--
-- Name: werkbon werkbon_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.werkbon
    ADD CONSTRAINT werkbon_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contract(id) ON DELETE RESTRICT;


--
-- Name: werkbon werkbon_klant_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.werkbon
    ADD CONSTRAINT werkbon_klant_id_fkey FOREIGN KEY (klant_id) REFERENCES public.klant(id) ON DELETE RESTRICT;


--
-- Name: werkbon werkbon_medewerker_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.werkbon
    ADD CONSTRAINT werkbon_medewerker_id_fkey FOREIGN KEY (medewerker_id) REFERENCES public.medewerker(id) ON DELETE RESTRICT;


--
-- PostgreSQL database dump complete
--

\unrestrict myAgiatHEKGVyXcBqyORRMxga4W7hhCpj4idzgsery16W4fAPvSz2chcE5vabfv

