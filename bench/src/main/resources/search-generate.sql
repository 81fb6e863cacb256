-- Parley search bench data (bench/search): :conversations conversations, ~10 messages each, ~5 page views each,
-- 50 agents, 5 groups, 30 tags, multi-language text. Placeholders {{N}} and {{ACCOUNT}} are filled by SearchBench.
SELECT setseed(0.14);

CREATE TEMP TABLE words (lang text, list text[]);
INSERT INTO words VALUES
 ('en', ARRAY['order','number','delivery','deliveries','parcel','refund','payment','invoice','shipping','address','size','colour','return','exchange','discount','coupon','account','password','broken','damaged','late','tracking','courier','warehouse','stock','available','price','cheaper','shoes','jacket','boots','dress','shirt','help','please','thanks','hello','when','where','why','how','my','the','is','was','still','not','arrived','yesterday','today','week','email','phone','change','cancel','subscription','gift','card','voucher','quality']),
 ('de', ARRAY['Bestellung','Nummer','Lieferung','Lieferungen','Paket','Rückerstattung','Zahlung','Rechnung','Versand','Adresse','Größe','Farbe','Rücksendung','Umtausch','Rabatt','Gutschein','Konto','Passwort','kaputt','beschädigt','spät','Sendungsverfolgung','Kurier','Lager','verfügbar','Preis','günstiger','Schuhe','Jacke','Stiefel','Kleid','Hemd','Hilfe','bitte','danke','Hallo','wann','wo','warum','wie','meine','noch','nicht','angekommen','gestern','heute','Woche','Rückruf']),
 ('fr', ARRAY['commande','numéro','livraison','livraisons','colis','remboursement','paiement','facture','expédition','adresse','taille','couleur','retour','échange','réduction','code','compte','mot','cassé','abîmé','retard','suivi','livreur','entrepôt','stock','disponible','prix','chaussures','veste','bottes','robe','chemise','aide','merci','bonjour','quand','où','pourquoi','comment','toujours','pas','arrivé','hier','aujourd''hui','semaine','café']),
 ('es', ARRAY['pedido','número','entrega','entregas','paquete','reembolso','pago','factura','envío','dirección','talla','color','devolución','cambio','descuento','cupón','cuenta','contraseña','roto','dañado','tarde','seguimiento','mensajero','almacén','disponible','precio','zapatos','chaqueta','botas','vestido','camisa','ayuda','gracias','hola','cuándo','dónde','por','qué','cómo','todavía','no','llegó','ayer','hoy','semana']),
 ('cs', ARRAY['objednávka','číslo','doručení','balík','vrácení','platba','faktura','doprava','adresa','velikost','barva','výměna','sleva','kupón','účet','heslo','rozbité','poškozené','pozdě','sledování','kurýr','sklad','dostupné','cena','boty','bunda','šaty','košile','pomoc','prosím','děkuji','dobrý','den','kdy','kde','proč','jak','ještě','nepřišlo','včera','dnes','týden']);

INSERT INTO groups (account_id, name, key)
SELECT {{ACCOUNT}}, 'Team ' || g, 'team-' || g FROM generate_series(1, 5) g;
INSERT INTO agents (account_id, email, name, role, password_hash, status)
SELECT {{ACCOUNT}}, 'agent' || a || '@bench.test', 'Agent ' || a, 'agent', 'x', CASE WHEN a <= 20 THEN 'online' ELSE 'offline' END
FROM generate_series(1, 50) a;
INSERT INTO group_members (group_id, agent_id)
SELECT g.id, a.id FROM agents a JOIN groups g ON g.account_id = a.account_id
WHERE a.account_id = {{ACCOUNT}} AND a.role = 'agent' AND (a.id + g.id) % 5 = 0;
INSERT INTO tags (account_id, name, color)
SELECT {{ACCOUNT}}, (ARRAY['vip','bug','refund','shipping','complaint','b2b','returns','sales','feedback','urgent'])[1 + (t - 1) % 10]
       || CASE WHEN t > 10 THEN '-' || t ELSE '' END, '#6b7280'
FROM generate_series(1, 30) t;

CREATE TEMP TABLE ids AS
SELECT array_agg(id ORDER BY id) FILTER (WHERE kind = 'agent') AS agents,
       array_agg(id ORDER BY id) FILTER (WHERE kind = 'group') AS groups,
       array_agg(id ORDER BY id) FILTER (WHERE kind = 'tag') AS tags
FROM (SELECT id, 'agent' AS kind FROM agents WHERE account_id = {{ACCOUNT}} AND role = 'agent'
      UNION ALL SELECT id, 'group' FROM groups WHERE account_id = {{ACCOUNT}}
      UNION ALL SELECT id, 'tag' FROM tags WHERE account_id = {{ACCOUNT}}) x;

-- Contacts for a third of the conversations.
INSERT INTO contacts (account_id, name, email, phone, variables)
SELECT {{ACCOUNT}},
       (ARRAY['Jana','Petr','Anna','Lukas','Marie','Tomas','Sophie','Jonas','Lea','Pablo','Lucía','Camille','Hugo','Emma','Noah'])[1 + i % 15]
         || ' ' || (ARRAY['Novák','Müller','Dubois','García','Smith','Svoboda','Schmidt','Martin','López','Brown','Dvořák','Weber'])[1 + (i / 15) % 12],
       'customer' || i || '@mail' || (i % 50) || '.test',
       '+420 ' || lpad((600000000 + i)::text, 9, '0'),
       jsonb_build_object('plan', jsonb_build_object('label', 'plan', 'value', (ARRAY['free','basic','pro','platinum'])[1 + i % 4]))
FROM generate_series(1, {{N}} / 3) i;
CREATE TEMP TABLE contact_range AS SELECT min(id) AS lo, max(id) AS hi FROM contacts WHERE account_id = {{ACCOUNT}};

INSERT INTO visitors (account_id, visitor_key, contact_id, name, language, ip, current_url, first_seen_at, last_seen_at)
SELECT {{ACCOUNT}}, 'bench-' || i || '-' || md5(i::text),
       CASE WHEN i % 3 = 0 THEN (SELECT lo FROM contact_range) + (i / 3) % ({{N}} / 3) END,
       NULL,
       (ARRAY['en','en','en','en','en','de','de','fr','es','cs'])[1 + i % 10],
       '10.' || (i % 200) || '.' || ((i / 200) % 250) || '.' || (i % 250),
       'https://shop.test/' || (ARRAY['product/boots','product/jacket','cart','checkout','account/orders','help/shipping','product/dress','blog/summer-sale'])[1 + (i * 7) % 8] || '?ref=' || (i % 97),
       now() - interval '730 days' + (i::double precision / {{N}}) * interval '730 days',
       now() - interval '730 days' + (i::double precision / {{N}}) * interval '730 days'
FROM generate_series(1, {{N}}) i;

-- Conversations, oldest first; the newest 10,000 are open.
INSERT INTO conversations (account_id, visitor_id, contact_id, group_id, channel, status, is_served, close_type, closed_by,
       rating_value, domain, ip, assignee_ids, participant_ids, contact_message_count, last_message_text,
       last_message_sub_type, last_message_at, created_at, updated_at, finished_at)
SELECT {{ACCOUNT}}, v.id, v.contact_id,
       CASE WHEN r1 < 0.7 THEN ids.groups[1 + (v.id % 5)] END,
       CASE WHEN r2 < 0.9 THEN 'chat' WHEN r2 < 0.97 THEN 'email' ELSE 'facebook' END,
       CASE WHEN n > {{N}} - 10000 THEN 'open' ELSE 'closed' END,
       true,
       CASE WHEN n > {{N}} - 10000 THEN NULL ELSE 'agent_close' END,
       CASE WHEN n > {{N}} - 10000 THEN NULL ELSE ids.agents[1 + (v.id % 50)] END,
       CASE WHEN n > {{N}} - 10000 THEN NULL WHEN r3 < 0.6 THEN NULL WHEN r3 < 0.85 THEN 5 WHEN r3 < 0.95 THEN 3 ELSE 1 END,
       'shop.test', v.ip,
       CASE WHEN n > {{N}} - 10000 AND r1 < 0.3 THEN '{}' ELSE ARRAY[ids.agents[1 + (v.id % 50)]] END,
       ARRAY[ids.agents[1 + (v.id % 50)]],
       5, 'Thanks, that helps', 'contact',
       v.first_seen_at + interval '12 minutes', v.first_seen_at, v.first_seen_at + interval '12 minutes',
       CASE WHEN n > {{N}} - 10000 THEN NULL ELSE v.first_seen_at + interval '15 minutes' END
FROM (SELECT v.*, row_number() OVER (ORDER BY v.id) AS n, random() AS r1, random() AS r2, random() AS r3
      FROM visitors v WHERE v.account_id = {{ACCOUNT}} AND v.visitor_key LIKE 'bench-%') v, ids;

INSERT INTO conversation_tags (conversation_id, tag_id)
SELECT DISTINCT c.id, ids.tags[1 + ((c.id * k * 31) % 30)]
FROM conversations c, ids, generate_series(1, 3) k
WHERE c.account_id = {{ACCOUNT}} AND (c.id * 7 + k) % 10 < CASE k WHEN 1 THEN 4 WHEN 2 THEN 2 ELSE 1 END;

-- Ten messages a conversation, alternating visitor and agent, 6–14 words in the visitor's language; about one
-- message in 20,000 holds the rare word "quokka".
INSERT INTO messages (account_id, conversation_id, kind, sub_type, channel, agent_id, text, created_at)
SELECT {{ACCOUNT}}, c.id, CASE WHEN m = 10 AND c.id % 7 = 0 THEN 'note' ELSE 'message' END,
       CASE WHEN m % 2 = 1 THEN 'contact' ELSE 'agent' END, c.channel,
       CASE WHEN m % 2 = 0 THEN c.participant_ids[1] END,
       (SELECT string_agg(x.word, ' ')
          FROM (SELECT w.list[1 + floor(random() * cardinality(w.list))::int] AS word
                FROM generate_series(1, 6 + (c.id + m) % 9)) AS x)
         || CASE WHEN random() < 0.00005 THEN ' quokka' ELSE '' END,
       c.created_at + m * interval '1 minute'
FROM conversations c
JOIN visitors v ON v.id = c.visitor_id
JOIN words w ON w.lang = v.language
CROSS JOIN generate_series(1, 10) m
WHERE c.account_id = {{ACCOUNT}};

-- Page views: into page_views when the visitor-card work has made it, else into bench's own staging table.
CREATE TABLE IF NOT EXISTS bench_page_views (visitor_id bigint NOT NULL, url text NOT NULL, title text, viewed_at timestamptz NOT NULL);
INSERT INTO bench_page_views (visitor_id, url, title, viewed_at)
SELECT v.id, 'https://shop.test/' || (ARRAY['product/boots','product/jacket','cart','checkout','account/orders','help/shipping','product/dress','blog/summer-sale'])[1 + (v.id + p) % 8],
       'Page ' || p, v.first_seen_at + p * interval '30 seconds'
FROM visitors v CROSS JOIN generate_series(1, 5) p
WHERE v.account_id = {{ACCOUNT}} AND v.visitor_key LIKE 'bench-%';

ANALYZE;
