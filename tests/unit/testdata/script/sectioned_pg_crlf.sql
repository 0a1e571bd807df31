-- Update script for the tests (PostgreSQL), with the splitter traps inside sections.
-- Comments before the first marker are allowed.

-- bru:version 8.5.9
-- bru:description create the task table
CREATE TABLE task (id int, note text CHECK (note ~ E'^\\w'));

-- bru:version 8.5.10
CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  NEW.note := 'touched; ' || NEW.note;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TABLE unterminated_before_marker (x int)
-- bru:version 8.5.200
-- bru:description grant to {{app_user}}
GRANT SELECT ON task TO {{app_user}};  

